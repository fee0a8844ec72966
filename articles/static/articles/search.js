/* Progressive enhancement of the search page: filters apply as soon as they change,
   and the results update in place (history.pushState keeps every state in the URL,
   so links stay shareable and the back button works). Without JavaScript the same
   form and links work as plain page loads. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function form() { return document.getElementById("search-form"); }

  function formUrl(f) {
    var query = new URLSearchParams();
    new FormData(f).forEach(function (value, name) { if (value !== "") query.append(name, value); });
    var text = query.toString();
    return f.action.split("?")[0] + (text ? "?" + text : "");
  }

  function focusTarget(element) {
    if (!element || !element.closest || !element.closest("#search-form")) return null;
    if (element.name) return { name: element.name, value: element.value, type: element.type };
    return element.id ? { id: element.id } : null;
  }

  function restoreFocus(target) {
    if (!target) return;
    var element = target.id ? document.getElementById(target.id) : null;
    if (!element && target.name) {
      var selector = "[name='" + CSS.escape(target.name) + "']";
      if (target.type === "checkbox") selector += "[value='" + CSS.escape(target.value) + "']";
      element = form().querySelector(selector);
    }
    if (element) element.focus({ preventScroll: true });
  }

  var pending = null;

  function load(url, push) {
    var state = document.getElementById("search-state");
    if (pending) pending.abort();
    pending = new AbortController();
    if (state) state.setAttribute("aria-busy", "true");
    var focused = focusTarget(document.activeElement);
    return fetch(url, { signal: pending.signal, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newForm = page.getElementById("search-form");
        if (!newForm) { window.location.assign(url); return; }
        form().replaceWith(document.adoptNode(newForm));
        document.title = page.title;
        if (push) history.pushState({ search: true }, "", url);
        restoreFocus(focused);
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
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    if (!document.getElementById("search-form")) return;
    event.preventDefault();
    var href = link.getAttribute("href") || link.getAttribute("xlink:href");
    load(new URL(href, window.location.href).toString(), true);
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.search && document.getElementById("search-form")) {
      load(window.location.href, false);
    }
  });

  // The first state gets a marker too, so popping back to it reloads its results.
  if (document.getElementById("search-form") && !history.state) history.replaceState({ search: true }, "");
})();
