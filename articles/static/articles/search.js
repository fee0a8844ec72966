/* Progressive enhancement of the search page: filters apply as soon as they change,
   and the results update in place. history.pushState keeps every state in the URL,
   so links stay shareable and the back button works. Without JavaScript the same
   form and links work as plain page loads. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var pending = null;
  var narrow = window.matchMedia("(max-width: 48rem)");

  function form() { return document.getElementById("search-form"); }

  function filtersPanel() { return form() && form().querySelector("details.filters"); }

  function formUrl(f) {
    var query = new URLSearchParams();
    new FormData(f).forEach(function (value, name) { if (value !== "") query.append(name, value); });
    var text = query.toString();
    return f.action.split("?")[0] + (text ? "?" + text : "");
  }

  /* What had the focus, described so that its counterpart in the new page can be found. */
  function focusTarget(element) {
    if (!element || !element.closest || !element.closest("#search-form")) return null;
    var target = { top: element.getBoundingClientRect().top };
    if (element.name) {
      target.selector = "[name='" + CSS.escape(element.name) + "']";
      if (element.type === "checkbox") target.selector += "[value='" + CSS.escape(element.value) + "']";
    } else if (element.id) {
      target.selector = "#" + CSS.escape(element.id);
    }
    return target;
  }

  /* Heights of the facets above the focused control: they may only grow, so the
     control under the pointer or keyboard does not move when a facet above shrinks. */
  function heightsAbove(element) {
    var heights = {};
    if (!element || !form().contains(element)) return heights;
    form().querySelectorAll("fieldset.facet").forEach(function (fieldset) {
      var before = fieldset.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (before && !fieldset.contains(element)) heights[fieldset.id] = fieldset.offsetHeight;
    });
    return heights;
  }

  function keepHeights(heights) {
    Object.keys(heights).forEach(function (id) {
      var fieldset = document.getElementById(id);
      if (fieldset && fieldset.offsetHeight < heights[id]) fieldset.style.minHeight = heights[id] + "px";
    });
  }

  function restoreFocus(target) {
    var element = target && target.selector ? form().querySelector(target.selector) : null;
    if (!element) {
      element = document.getElementById("results-heading");
      if (element) element.focus({ preventScroll: true });
      return;
    }
    element.focus({ preventScroll: true });
    window.scrollBy(0, element.getBoundingClientRect().top - target.top);
  }

  function announce() {
    var status = document.getElementById("search-status");
    var summary = document.getElementById("results-heading") || form().querySelector("[role=alert]");
    if (status && summary) status.textContent = summary.textContent.replace(/\s+/g, " ").trim();
  }

  function load(url, push) {
    if (pending) pending.abort();
    pending = new AbortController();
    document.getElementById("search-state").setAttribute("aria-busy", "true");
    var focused = focusTarget(document.activeElement);
    var heights = heightsAbove(document.activeElement);
    var filtersOpen = filtersPanel() ? filtersPanel().open : true;
    return fetch(url, { signal: pending.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newForm = page.getElementById("search-form");
        if (!newForm) { window.location.assign(url); return; }
        form().replaceWith(document.adoptNode(newForm));
        if (filtersPanel()) filtersPanel().open = filtersOpen;
        keepHeights(heights);
        document.title = page.title;
        if (push) history.pushState({ search: true }, "", url);
        restoreFocus(focused);
        announce();
      })
      .catch(function (error) { if (error.name !== "AbortError") window.location.assign(url); });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.closest("#search-form")) return;
    if (target.type === "checkbox" || target.tagName === "SELECT") load(formUrl(form()), true);
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "search-form") return;
    event.preventDefault();
    load(formUrl(event.target), true);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-nav]");
    if (!link || !form() || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (link.closest(".pagination")) document.getElementById("search-state").scrollIntoView();
    load(new URL(link.getAttribute("href"), window.location.href).toString(), true);
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.search && form()) load(window.location.href, false);
  });

  if (form()) {
    // The first state gets a marker too, so going back to it reloads its results.
    if (!history.state) history.replaceState({ search: true }, "");
    // On a phone the results come first: the filters start folded away.
    if (narrow.matches && filtersPanel()) filtersPanel().open = false;
  }
})();
