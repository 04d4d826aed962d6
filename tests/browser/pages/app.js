// A scriptable third-party app for the browser tests. The test drives it with
// frame.evaluate(): T.call() sends any request and resolves with the reply or the failure
// (never rejects), T.subscribe() records every event of the topics into T.events.
(function () {
  "use strict";
  var service = window.genesys.wwe.service;
  var params = new URLSearchParams(window.location.search);
  var T = (window.T = {
    name: params.get("name") || "app",
    interactionId: params.get("interaction"),
    events: [],
    raw: [], // every message from the desktop window, as received (events, replies, greetings)
    ready: null,
    readyError: null,
    service: service
  });
  document.getElementById("name").textContent = T.name;
  window.addEventListener("message", function (event) {
    if (event.source === (window.opener || window.parent)) {
      T.raw.push({ origin: event.origin, data: event.data });
    }
  });
  if (params.get("timeout")) {
    service.configure({ timeout: Number(params.get("timeout")) });
  }

  service.ready(15000).then(
    function (info) {
      T.ready = info;
      document.getElementById("status").textContent = "ready " + info.frameId;
    },
    function (error) {
      T.readyError = error.message;
      document.getElementById("status").textContent = error.message;
    }
  );

  function settle(promise) {
    return promise.then(
      function (reply) {
        var out = Object.assign({ ok: true }, reply);
        return out;
      },
      function (failure) {
        return Object.assign({ ok: false }, failure);
      }
    );
  }

  // Any request by name with positional parameters; an optional timeout (ms) for this call.
  T.call = function (request, parameters, timeoutMs) {
    var previous = null;
    if (typeof timeoutMs === "number") {
      previous = service.configure().timeout;
      service.configure({ timeout: timeoutMs });
    }
    var message = { request: request };
    if (parameters && parameters.length) {
      message.parameters = parameters;
    }
    var promise = service.sendMessage(message);
    if (previous !== null) {
      service.configure({ timeout: previous });
    }
    return settle(promise);
  };

  T.subscribe = function (topics) {
    return settle(
      service.subscribe(topics, function (message) {
        T.events.push(message);
      })
    );
  };

  // The first recorded event matching topic, eventType and (optionally) interaction id.
  T.find = function (topic, eventType, interactionId, fromIndex) {
    for (var i = fromIndex || 0; i < T.events.length; i += 1) {
      var e = T.events[i];
      if (e.event !== topic || !e.data || e.data.eventType !== eventType) {
        continue;
      }
      if (interactionId && !(e.data.interaction && e.data.interaction.interactionId === interactionId)) {
        continue;
      }
      return e;
    }
    return null;
  };
})();
