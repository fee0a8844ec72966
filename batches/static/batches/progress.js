/* A running batch's progress, from its status in the API, every two seconds; once the run is
   done the page is loaded again to show every line's results. Without JavaScript the page
   shows the progress of when it was loaded. */
(function () {
  "use strict";
  var INTERVAL = 2000;

  function start() {
    var block = document.querySelector("[data-status-url]");
    if (!block) return;
    var url = block.getAttribute("data-status-url");
    var bar = block.querySelector("progress");
    var state = block.querySelector("[role=status]");

    function show(status) {
      bar.max = Math.max(status.runnable, 1);
      bar.value = status.done;
      var refused = status.refused ? ", " + status.refused + " refused" : "";
      if (status.status === "done") {
        state.textContent = "Done: " + status.runnable + " of " + status.lines + " lines searched" + refused + ".";
        window.location.reload();
        return;
      }
      state.textContent = "Searching: " + status.done + " of " + status.runnable + " lines searched" + refused + ".";
      window.setTimeout(poll, INTERVAL);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(show)
        .catch(function () { window.setTimeout(poll, INTERVAL * 5); });
    }

    window.setTimeout(poll, INTERVAL);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
