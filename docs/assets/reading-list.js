/* Reading-list scripts, all local: nothing here talks to another host.
   1. The search dialog gets an accessible name (axe-core: aria-dialog-name), which the theme's
      markup lacks and only a script can add without copying its templates.
   2. A BibTeX cart: tick papers on any listing, then download or copy their entries as one
      .bib. The entries are the site's own per-paper .bib files, fetched from this site; the
      selection lives in localStorage, so it survives navigation. */
(function () {
  "use strict";
  var STORE = "reading-list-cart";

  function label() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", "Search"); }
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}") || {}; } catch (e) { return {}; }
  }

  function save(cart) {
    try { localStorage.setItem(STORE, JSON.stringify(cart)); } catch (e) { /* private mode */ }
    render();
  }

  function keys(cart) { return Object.keys(cart).sort(); }

  function entries(cart) {
    return Promise.all(keys(cart).map(function (key) {
      return fetch(cart[key]).then(function (response) {
        if (!response.ok) { throw new Error(key + ": " + response.status); }
        return response.text();
      });
    })).then(function (texts) { return texts.join("\n"); });
  }

  function status(text) {
    var node = document.querySelector(".rl-cart-status");
    if (node) { node.textContent = text; }
  }

  function download() {
    var cart = load();
    entries(cart).then(function (text) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/x-bibtex" }));
      link.download = "reading-list-cart.bib";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    }).catch(function (error) { status("Could not fetch " + error.message); });
  }

  function copy() {
    entries(load()).then(function (text) {
      return navigator.clipboard.writeText(text);
    }).then(function () { status("Copied"); }).catch(function () { status("Could not copy"); });
  }

  function button(text, action, name) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "md-button rl-cart-" + name;
    node.textContent = text;
    node.addEventListener("click", action);
    return node;
  }

  function panel() {
    var node = document.querySelector(".rl-cart");
    if (node) { return node; }
    node = document.createElement("aside");
    node.className = "rl-cart";
    node.setAttribute("aria-label", "BibTeX cart");
    var count = document.createElement("span");
    count.className = "rl-cart-count";
    count.setAttribute("aria-live", "polite");
    var state = document.createElement("span");
    state.className = "rl-cart-status";
    state.setAttribute("aria-live", "polite");
    node.appendChild(count);
    node.appendChild(button("Download .bib", download, "download"));
    node.appendChild(button("Copy", copy, "copy"));
    node.appendChild(button("Clear", function () { save({}); }, "clear"));
    node.appendChild(state);
    document.body.appendChild(node);
    return node;
  }

  function render() {
    var cart = load();
    var count = keys(cart).length;
    var node = panel();
    node.hidden = count === 0;
    node.querySelector(".rl-cart-count").textContent =
      "BibTeX cart: " + count + " paper" + (count === 1 ? "" : "s");
    document.querySelectorAll("input.rl-cart-toggle").forEach(function (box) {
      box.checked = Object.prototype.hasOwnProperty.call(cart, box.dataset.key);
    });
  }

  function decorate(root) {
    (root || document).querySelectorAll("[data-key][data-bib]").forEach(function (row) {
      if (row.querySelector(":scope > .rl-cart-pick, :scope > td > .rl-cart-pick")) { return; }
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "rl-cart-toggle";
      box.dataset.key = row.dataset.key;
      var title = row.querySelector(".rl-title, a");
      box.setAttribute("aria-label", "Add " + (title ? title.textContent : row.dataset.key) + " to the BibTeX cart");
      box.addEventListener("change", function () {
        var cart = load();
        if (box.checked) { cart[row.dataset.key] = new URL(row.dataset.bib, location.href).href; }
        else { delete cart[row.dataset.key]; }
        save(cart);
      });
      var holder = document.createElement("span");
      holder.className = "rl-cart-pick";
      holder.appendChild(box);
      var cell = row.tagName === "TR" ? row.firstElementChild : row;
      cell.insertBefore(holder, cell.firstChild);
    });
    render();
  }

  window.readingListCart = { decorate: decorate };
  function start() { label(); decorate(document); }
  if (typeof document$ !== "undefined") { document$.subscribe(start); } else { start(); }
})();
