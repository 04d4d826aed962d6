// The vendor guide's examples, as an integrator would paste them: callbacks only, no
// promises, no ready(); calls made at once when the script runs (before the greeting).
// Results are rendered as text into the page for the test to read.
function show(id, text) {
  document.getElementById(id).textContent = text;
}

function test() {
  genesys.wwe.service.sendMessage({
    request: "agent.get"
  }, function(result) {
    show("agent-get", "SUCCEEDED, result: " + JSON.stringify(result, null, "\t"));
  }, function(result) {
    show("agent-get", "FAILED, result: " + JSON.stringify(result, null, "\t"));
  });
}

var context = { name: "guide-context" };

function eventHandler(message) {
  var item = document.createElement("li");
  var data = message.data || {};
  var what = data.mediaState || (data.interaction && data.interaction.state) || "";
  item.textContent = (this === context ? "with-context " : "without-context ") +
    message.event + " " + data.eventType + " " + what;
  document.getElementById("events").appendChild(item);
}

test();
genesys.wwe.service.subscribe([ "agent", "interaction" ], eventHandler, context);

var interactionId = new URLSearchParams(window.location.search).get("interaction");
genesys.wwe.service.interaction.setUserData(interactionId,
{
    PubKEY1: "MyValue1",
    PubKEY2: "MyValue2"
}, function(result){
    show("set-user-data", "SUCCEEDED, result: " + JSON.stringify(result, null, "\t"));
}, function(result){
    show("set-user-data", "FAILED, result: " + JSON.stringify(result, null, "\t"));
});
