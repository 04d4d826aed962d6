// The client library's promise style (our addition): ready(), await, try/catch.
(function () {
  "use strict";
  var service = window.genesys.wwe.service;

  function show(id, text) {
    document.getElementById(id).textContent = text;
  }

  async function main() {
    var info = await service.ready();
    show("ready", info.origin + " " + info.frameId);
    var agent = (await service.agent.get()).data;
    show("agent", agent.username + " " + agent.firstname + " " + agent.lastname);
    var state = (await service.agent.getState()).data;
    show("state", state.type);
    try {
      await service.voice.dial("5550199");
      show("dial", "resolved");
    } catch (failure) {
      show("dial", failure.errorCode + ": " + failure.errorMessage);
    }
    var subscribed = await service.subscribe("agent", function (message) {
      show("event", message.event + " " + message.data.eventType + " " + message.data.mediaState);
    });
    show("subscribed", String(subscribed.subscriptionId));
  }

  main().catch(function (error) {
    show("error", String((error && (error.errorMessage || error.message)) || error));
  });
})();
