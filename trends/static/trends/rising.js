/* Fills the "rising" block of the search and entity pages from /api/rising. Without
   JavaScript, or when the request fails, the block keeps its link to the rising page.
   The search page replaces its results in place, so new blocks are filled as they come.
   The pages put the block below their results, so a block filled late moves none of them. */
(function () {
  "use strict";
  var SHOWN = 5;

  function percent(share) {
    if (share === null) return "–";
    return (share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1) + "%";
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function render(body, data) {
    body.textContent = "";
    body.appendChild(element("p", data.label + " against " + data.previous.label + (data.default_period ? " (the archive's last days)" : "") +
      "; entities in at least " + data.min_articles + " of its " + data.count, { "class": "hint" }));
    var shown = 0;
    data.groups.forEach(function (group) {
      if (!group.values.length) return;
      body.appendChild(element("h3", group.title));
      var list = body.appendChild(element("ul"));
      group.values.slice(0, SHOWN).forEach(function (item) {
        var entry = list.appendChild(element("li"));
        entry.appendChild(element("a", item.label, { href: item.url }));
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(element("span", percent(item.previous_share) + " → " + percent(item.share), { "class": "hint" }));
        shown += 1;
      });
    });
    if (!shown) body.appendChild(element("p", "Nothing rose notably.", { "class": "hint" }));
  }

  function fill(block) {
    block.setAttribute("data-filled", "");
    block.setAttribute("aria-busy", "true");
    var body = block.querySelector(".rising-body");
    fetch(block.getAttribute("data-rising"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) render(body, data); })
      .catch(function () { /* the link to the rising page stays */ })
      .finally(function () { block.setAttribute("aria-busy", "false"); });
  }

  function scan() {
    document.querySelectorAll("[data-rising]:not([data-filled])").forEach(fill);
  }

  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
