// Live reload for `alimap serve` only: the preview server adds this script
// to the pages it serves; it is never part of a built site.
// It asks the server for the build version, the server answers when the
// version differs from the page's (or after a while, to keep the request
// short), and the page reloads when a new build is ready.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  if (!version) {
    return;
  }
  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/__alimap/version?depuis=" + encodeURIComponent(version));
    xhr.onload = function () {
      if (xhr.status !== 200) {
        window.setTimeout(poll, 1000);
      } else if (xhr.responseText !== version) {
        window.location.reload();
      } else {
        poll();
      }
    };
    // The server is stopped or restarting: try again a little later.
    xhr.onerror = function () {
      window.setTimeout(poll, 1000);
    };
    xhr.send();
  }
  poll();
})();
