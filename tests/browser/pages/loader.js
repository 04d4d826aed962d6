// Loads the client library from the wwe-host server named in ?host=..., then the page's own
// script named by the data-app attribute of this <script> tag. Both are inserted with
// async = false, so they run in order, and before the document's load event (which is when
// the desktop greets the frame).
(function () {
  "use strict";
  var me = document.currentScript;
  var params = new URLSearchParams(window.location.search);
  var host = params.get("host");
  var app = (me && me.getAttribute("data-app")) || "app.js";
  function add(src) {
    var script = document.createElement("script");
    script.src = src;
    script.async = false;
    document.head.appendChild(script);
  }
  if (!host) {
    document.title = "missing ?host=";
    return;
  }
  add(host.replace(/\/$/, "") + "/wwe-service-client-api.js");
  add(app);
})();
