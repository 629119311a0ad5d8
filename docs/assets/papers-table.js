/* The all-papers page, filterable: the plain lists of rows (which work without JavaScript)
   become one table, with filters by text, topic, year, venue and "has code", and sorting.
   Everything it shows comes from the rows' own text and data- attributes. */
(function () {
  "use strict";

  function text(node) { return node ? node.textContent.trim() : ""; }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function labelled(label, control) {
    control.id = "rl-filter-" + control.name;
    return element("span", { class: "rl-filter" }, [element("label", { for: control.id }, [label]), control]);
  }

  function select(label, name, values) {
    var options = [element("option", { value: "" }, ["All"])];
    values.forEach(function (pair) { options.push(element("option", { value: pair[0] }, [pair[1]])); });
    var control = element("select", { name: name }, options);
    return [labelled(label, control), control];
  }

  function papers(root) {
    return Array.prototype.map.call(root.querySelectorAll("li.rl-row"), function (row) {
      var title = row.querySelector(".rl-title");
      return {
        slug: row.dataset.paper,
        key: row.dataset.key,
        bib: row.dataset.bib,
        title: text(title),
        href: title.getAttribute("href"),
        authors: text(row.querySelector(".rl-short-authors")),
        year: row.dataset.year,
        venue: row.dataset.venue,
        code: row.querySelector(".rl-code"),
        topics: (row.dataset.topics || "").split(" ").filter(Boolean),
        chips: Array.prototype.slice.call(row.querySelectorAll(".rl-chip")),
        words: ((text(row) || "") + " " + row.dataset.key).toLowerCase()
      };
    });
  }

  function unique(list) {
    var seen = {};
    return list.filter(function (item) { if (seen[item[0]]) { return false; } seen[item[0]] = true; return true; });
  }

  function build(root) {
    if (root.dataset.enhanced) { return; }
    root.dataset.enhanced = "yes";
    var all = {};
    papers(root).forEach(function (paper) { all[paper.slug] = all[paper.slug] || paper; });
    var list = Object.keys(all).map(function (slug) { return all[slug]; });
    var topicNames = unique([].concat.apply([], list.map(function (p) {
      return p.chips.map(function (chip) { return [chip.dataset.topic, text(chip)]; });
    }))).sort(function (a, b) { return a[1].localeCompare(b[1]); });
    var years = unique(list.map(function (p) { return [p.year, p.year]; })).sort().reverse();
    var venues = unique(list.filter(function (p) { return p.venue; }).map(function (p) { return [p.venue, p.venue]; }))
      .sort(function (a, b) { return a[1].localeCompare(b[1]); });
    var search = element("input", { type: "search", name: "q", placeholder: "Words, surname, venue, key…" });
    var topic = select("Topic", "topic", topicNames);
    var year = select("Year", "year", years);
    var venue = select("Venue", "venue", venues);
    var code = element("input", { type: "checkbox", name: "code", id: "rl-filter-code" });
    var count = element("span", { class: "rl-count", "aria-live": "polite" });
    var filters = element("form", { class: "rl-filters", role: "search", "aria-label": "Filter the papers" }, [
      labelled("Search", search), topic[0], year[0], venue[0],
      element("span", { class: "rl-check" }, [code, element("label", { for: "rl-filter-code" }, ["Has code"])]), count
    ]);
    var columns = [["title", "Title"], ["authors", "Authors"], ["year", "Year"], ["venue", "Venue"]];
    var head = element("tr", {}, columns.map(function (column) {
      var arrow = element("span", { class: "rl-sort-arrow", "aria-hidden": "true" });
      var button = element("button", { type: "button", "data-sort": column[0] }, [column[1], arrow]);
      return element("th", { scope: "col", "data-column": column[0] }, [button]);
    }).concat([element("th", { scope: "col" }, ["Topics"]), element("th", { scope: "col" }, ["Code"])]));
    var body = element("tbody");
    var table = element("table", { class: "rl-table" }, [element("thead", {}, [head]), body]);
    var sortKey = "year", descending = true;

    function rowOf(paper) {
      var link = element("a", { href: paper.href }, [paper.title]);
      var chips = element("td", { class: "rl-topics-cell" }, paper.chips.map(function (chip) { return chip.cloneNode(true); }));
      var codeCell = element("td", {}, paper.code ? [paper.code.cloneNode(true)] : []);
      return element("tr", { "data-paper": paper.slug, "data-key": paper.key, "data-bib": paper.bib }, [
        element("td", {}, [link]), element("td", {}, [paper.authors]), element("td", {}, [paper.year]),
        element("td", {}, [paper.venue]), chips, codeCell
      ]);
    }

    function render() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = list.filter(function (p) {
        return (!topic[1].value || p.topics.indexOf(topic[1].value) >= 0) &&
          (!year[1].value || p.year === year[1].value) &&
          (!venue[1].value || p.venue === venue[1].value) &&
          (!code.checked || p.code) &&
          words.every(function (word) { return p.words.indexOf(word) >= 0; });
      });
      shown.sort(function (a, b) {
        var x = (a[sortKey] || "").toString(), y = (b[sortKey] || "").toString();
        var order = x.localeCompare(y, undefined, { numeric: true });
        return (descending ? -order : order) || a.title.localeCompare(b.title);
      });
      body.replaceChildren.apply(body, shown.map(rowOf));
      Array.prototype.forEach.call(head.querySelectorAll("th[data-column]"), function (th) {
        var sorted = th.dataset.column === sortKey;
        th.setAttribute("aria-sort", sorted ? (descending ? "descending" : "ascending") : "none");
        th.querySelector(".rl-sort-arrow").textContent = sorted ? (descending ? " ▼" : " ▲") : "";
      });
      count.textContent = shown.length + " of " + list.length + " papers";
      if (window.readingListCart) { window.readingListCart.decorate(body); }
    }

    filters.addEventListener("input", render);
    filters.addEventListener("submit", function (event) { event.preventDefault(); });
    head.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort]");
      if (!button) { return; }
      descending = button.dataset.sort === sortKey ? !descending : button.dataset.sort === "year";
      sortKey = button.dataset.sort;
      render();
    });
    root.hidden = true;
    root.parentNode.insertBefore(element("div", { class: "rl-papers-table" }, [
      filters, element("div", { class: "rl-table-wrap" }, [table])
    ]), root);
    render();
  }

  function start() {
    var root = document.querySelector(".rl-all");
    if (root) { build(root); }
  }
  if (typeof document$ !== "undefined") { document$.subscribe(start); } else { start(); }
})();
