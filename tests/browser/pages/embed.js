// A page that embeds the agent desktop and talks to it with targetWWEWindow (protocol.md):
// the desktop treats it as a frame of this page's origin.
(function () {
  "use strict";
  var service = window.genesys.wwe.service;
  var host = new URLSearchParams(window.location.search).get("host").replace(/\/$/, "");
  var iframe = document.getElementById("desktop");
  var T = (window.T = { events: [], ready: null, readyError: null });
  iframe.addEventListener("load", function () {
    service.targetWWEWindow(iframe.contentWindow);
  });
  iframe.src = host + "/desktop";
  T.call = function (request, parameters) {
    return service.sendMessage({ request: request, parameters: parameters }).then(
      function (reply) { return reply; },
      function (failure) { return failure; }
    );
  };
  T.subscribe = function (topics) {
    return service.subscribe(topics, function (message) { T.events.push(message); });
  };
  T.start = function () {
    return service.ready(15000).then(function (info) {
      T.ready = info;
      document.getElementById("status").textContent = "ready " + info.frameId;
      return info;
    });
  };
})();
