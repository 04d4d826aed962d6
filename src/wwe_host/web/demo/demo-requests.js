// demo-requests.js: the requests the demo app offers (one button each), with their
// positional parameters and defaults, and the page's context read from its URL.

// The messenger channel the demo broadcasts on and listens to.
export const MESSENGER_CHANNEL = "demo";

// ---------------------------------------------------------------------------------------
// Where we are: the query string the desktop put in our URL
// ---------------------------------------------------------------------------------------

// `page`: this page's address without its query (window.location's origin + pathname).
export function readContext(search, page = "") {
  const query = new URLSearchParams(search);
  return {
    page,
    dialogId: query.get("dialog") || "",
    level: query.get("level") || "",
    agent: query.get("agent") || "",
    interactionId: query.get("interaction") || "",
    caseId: query.get("case") || "",
    ani: query.get("ani") || "",
  };
}

export function describeContext(context) {
  if (context.level === "interaction") {
    const details = [];
    if (context.caseId) details.push(`case ${context.caseId}`);
    if (context.ani) details.push(`ANI ${context.ani}`);
    const extra = details.length ? ` (${details.join(", ")})` : "";
    return `Interaction-level tab for interaction ${context.interactionId || "?"}${extra}.`;
  }
  if (context.level === "dialog") {
    return `In the desktop's modal dialog ${context.dialogId || "?"}: system.closeDialog closes it.`;
  }
  if (context.level === "workspace") {
    const who = context.agent ? ` of ${context.agent}` : "";
    return `Agent-level workspace tab${who}: by default the desktop allows click-to-dial only here.`;
  }
  return "Opened without ?level=…: the parameters are not prefilled from an interaction.";
}

// ---------------------------------------------------------------------------------------
// The requests: name, what it does, and its positional parameters
// ---------------------------------------------------------------------------------------

// kind "text": sent as typed; "state": digits are sent as a number (an index into the state
// list), anything else as an operationName; "json": parsed, invalid JSON is not sent.
function text(name, value = "", options = {}) {
  return { name, kind: "text", value, ...options };
}

function stateParam(name, value) {
  return { name, kind: "state", value };
}

// An object as one key per line, each value compact: short enough to edit in a textarea.
function formatJsonInput(value) {
  if (value === undefined) return "";
  if (!value || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value);
  const lines = Object.entries(value).map(([key, item]) => `  ${JSON.stringify(key)}: ${JSON.stringify(item)}`);
  return lines.length ? `{\n${lines.join(",\n")}\n}` : "{}";
}

function json(name, value, options = {}) {
  return { name, kind: "json", value: formatJsonInput(value), ...options };
}

const DEFAULT_TOAST = {
  title: "Hello",
  message: "From the demo app",
  buttons: ["Yes", "No"],
};

const UPDATED_TOAST = {
  title: "Hello again",
  message: "Changed by the demo app",
};

const DEFAULT_MENU_ITEM = {
  name: "demo-item",
  label: "Demo app",
  shortLabel: "Demo",
  tooltip: "Added by the demo app",
  backgroundColor: "#2a6f97",
  labelColor: "#fff",
};

// The demo page itself as a dialog: the desktop replaces $Dialog.Id$ with the dialog's id.
function dialogUrl(context) {
  if (!context.page) return "";
  return `${context.page}?level=dialog&dialog=$Dialog.Id$`;
}

export function catalogue(context) {
  const id = () => text("interactionId", context.interactionId, { placeholder: "e.g. 1" });
  return [
    {
      namespace: "agent",
      about: "The logged-in agent and the agent's overall state.",
      requests: [
        { name: "agent.get", help: "Who is logged in.", params: [] },
        { name: "agent.getState", help: "The state over all media.", params: [] },
        { name: "agent.getStateList", help: "The states the agent may choose.", params: [] },
        {
          name: "agent.setState",
          help: "Set every media. A number is an index into the state list.",
          params: [stateParam("operationName", "Ready")],
        },
      ],
    },
    {
      namespace: "media",
      about: "The agent's channels (voice, email, chat) one by one.",
      requests: [
        { name: "media.getMediaList", help: "Every media with its state.", params: [] },
        { name: "media.getMediaByName", help: "One media.", params: [text("name", "voice")] },
        {
          name: "media.setState",
          help: "Set one media's state.",
          params: [text("name", "voice"), stateParam("operationName", "NotReady")],
        },
      ],
    },
    {
      namespace: "interaction",
      about: "Calls, e-mails and chats, their attached data, cases and mark done.",
      requests: [
        { name: "interaction.getInteractions", help: "The agent's interactions.", params: [] },
        { name: "interaction.getByInteractionId", help: "One interaction, or null.", params: [id()] },
        {
          name: "interaction.setUserData",
          help: "Write attached data.",
          params: [id(), json("keyValues", { Key1: "value" })],
        },
        {
          name: "interaction.deleteUserData",
          help: "Remove one attached-data key.",
          params: [id(), text("key", "Key1")],
        },
        {
          name: "interaction.selectCaseByCaseId",
          help: "Select and expand a case in the desktop.",
          params: [text("caseId", context.caseId, { placeholder: "a caseId" })],
        },
        { name: "interaction.markdone", help: "Close a finished interaction.", params: [id()] },
        {
          name: "interaction.blockMarkdone",
          help: "Refuse mark done until unblocked, with this warning.",
          params: [id(), text("warningMessage", "Please fill in the demo form first.")],
        },
        { name: "interaction.unblockMarkdone", help: "Allow mark done again.", params: [id()] },
        { name: "interaction.accept", help: "Answer a ringing call, accept an invited e-mail or chat.", params: [id()] },
        {
          name: "interaction.reject",
          help: "Decline an offer: a routed one goes back to its queue, a direct call hears busy.",
          params: [id()],
        },
        {
          name: "interaction.consult",
          help: "Hold the call and dial a consult call (AGENT: a user name or DN; QUEUE; DN: a number).",
          params: [
            id(),
            json("target", { type: "AGENT", destination: "agent2" }),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
            json("extensions", undefined, { optional: true, placeholder: '{"Trunk": "2"}' }),
          ],
        },
        {
          name: "interaction.completeTransfer",
          help: "Give the customer to the consulted party; both of your calls are released.",
          params: [text("consultInteractionId", "", { placeholder: "the consult call's id" })],
        },
        {
          name: "interaction.completeConference",
          help: "Make one call of three parties: the consult call ends, the call resumes.",
          params: [text("consultInteractionId", "", { placeholder: "the consult call's id" })],
        },
        {
          name: "interaction.singleStepTransfer",
          help: "Blind transfer: the target is offered the call, yours is released.",
          params: [
            id(),
            json("target", { type: "AGENT", destination: "agent2" }),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
            json("extensions", undefined, { optional: true }),
          ],
        },
        {
          name: "interaction.singleStepConference",
          help: "Offer the target a call that joins this one once answered.",
          params: [
            id(),
            json("target", { type: "AGENT", destination: "agent2" }),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
            json("extensions", undefined, { optional: true }),
          ],
        },
      ],
    },
    {
      namespace: "voice",
      about: "Phone calls, call recording, microphone and speaker.",
      requests: [
        {
          name: "voice.dial",
          help: "Start an outbound call (click-to-dial).",
          params: [
            text("destination", "5002"),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
          ],
        },
        {
          name: "voice.dialEx",
          help: "As voice.dial, plus extensions for the switch (the desktop and REST API keep them; frames never see them).",
          params: [
            text("destination", "5002"),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
            json("extensions", { Priority: "high" }, { optional: true }),
          ],
        },
        { name: "voice.answer", help: "Answer a ringing call.", params: [id()] },
        { name: "voice.hold", help: "Put a call on hold.", params: [id()] },
        { name: "voice.resume", help: "Take a call off hold.", params: [id()] },
        { name: "voice.hangUp", help: "End a call.", params: [id()] },
        { name: "voice.startCallRecording", help: "Start recording.", params: [id()] },
        { name: "voice.stopCallRecording", help: "Stop recording.", params: [id()] },
        { name: "voice.pauseCallRecording", help: "Pause recording.", params: [id()] },
        { name: "voice.resumeCallRecording", help: "Resume a paused recording.", params: [id()] },
        { name: "voice.isMicrophoneMute", help: "Is the microphone muted?", params: [] },
        { name: "voice.muteMicrophone", help: "Mute the microphone.", params: [] },
        { name: "voice.unmuteMicrophone", help: "Unmute the microphone.", params: [] },
        { name: "voice.isSpeakerMute", help: "Is the speaker muted?", params: [] },
        { name: "voice.muteSpeaker", help: "Mute the speaker.", params: [] },
        { name: "voice.unmuteSpeaker", help: "Unmute the speaker.", params: [] },
      ],
    },
    {
      namespace: "email",
      about: "Outbound e-mail, opened in the desktop's composer.",
      requests: [
        {
          name: "email.create",
          help: "Start a new outbound e-mail.",
          params: [
            text("destination", "customer@example.com"),
            json("userData", undefined, { optional: true, placeholder: '{"Key1": "value"}' }),
          ],
        },
      ],
    },
    {
      namespace: "system",
      about: "What this frame may do, activity, and toasts.",
      requests: [
        { name: "system.getAllowedServices", help: "The requests this frame may use.", params: [] },
        { name: "system.triggerActivity", help: "Reset the agent's inactivity timer.", params: [] },
        {
          name: "system.popupToast",
          help: "Show a toast; the reply is its id.",
          params: [json("parameters", DEFAULT_TOAST)],
        },
        {
          name: "system.updateToast",
          help: "Change one of this frame's toasts.",
          params: [text("id", "", { placeholder: "a toast id" }), json("parameters", UPDATED_TOAST)],
        },
        {
          name: "system.closeToast",
          help: "Close one of this frame's toasts.",
          params: [text("id", "", { placeholder: "a toast id" })],
        },
        {
          name: "system.openDialog",
          help: "A modal dialog in the desktop holding a page; $Dialog.Id$ in the URL becomes its id. The reply is that id.",
          params: [
            text("url", dialogUrl(context)),
            json("options", { label: "Demo dialog $Dialog.Id$", width: 640, height: 480 }, { optional: true }),
          ],
        },
        {
          name: "system.closeDialog",
          help: "Close a dialog of this agent: true, or false for an unknown id.",
          params: [text("dialogId", context.dialogId, { placeholder: "e.g. wweCustomDialog1" })],
        },
        {
          name: "system.updateViewInApplicationMenuBar",
          help: "Add or change this frame's item in the desktop's header; a click on it comes back as a system event.",
          params: [json("view", DEFAULT_MENU_ITEM)],
        },
        {
          name: "system.closeViewInApplicationMenuBar",
          help: "Remove this frame's header item: true, or false if it had none of that name.",
          params: [text("name", DEFAULT_MENU_ITEM.name)],
        },
        { name: "system.amIVisible", help: "Is this frame shown now (its tab selected, the window not hidden)?", params: [] },
        { name: "system.isFrameLeading", help: "Is this desktop tab the agent's leading one?", params: [] },
        { name: "system.isFrameFollowing", help: "Is another desktop tab of the agent leading?", params: [] },
        { name: "system.isFrameNegotiating", help: "Are the agent's tabs choosing a leader (at most 2 s)?", params: [] },
        { name: "system.isFrameLeadingOrNegotiating", help: "Leading, or a leader being chosen.", params: [] },
        { name: "system.isLastActiveFrame", help: "Is this the desktop tab the agent used last?", params: [] },
      ],
    },
    {
      namespace: "outbound",
      about: "Simulated outbound campaigns (the demo's \"demo-leads\": load and start it on /admin).",
      requests: [
        { name: "outbound.getCampaigns", help: "The campaigns this agent belongs to.", params: [] },
        {
          name: "outbound.getPreviewRecord",
          help: "Take the next record: a preview interaction appears; the reply is its id.",
          params: [text("campaignName", "demo-leads")],
        },
        { name: "outbound.getRecordFields", help: "The record's fields.", params: [id()] },
        {
          name: "outbound.updateRecordFields",
          help: "Write string fields of the record.",
          params: [id(), json("fields", { note: "called back" })],
        },
        { name: "outbound.getChainedRecords", help: "The customer's records (phones).", params: [id()] },
        {
          name: "outbound.callPreviewRecord",
          help: "Dial a record of the chain: a call in the same case.",
          params: [id(), json("recordHandle", 1)],
        },
        { name: "outbound.rejectPreviewRecord", help: "Give the record back to the campaign.", params: [id()] },
        { name: "outbound.cancelPreviewRecord", help: "Close the record without a call.", params: [id()] },
        { name: "outbound.startDirectPushPreview", help: "Push-preview records come by themselves.", params: [] },
        { name: "outbound.stopDirectPushPreview", help: "No more push-preview records.", params: [] },
        {
          name: "outbound.rescheduleRecord",
          help: "Due again at M/D/YYYY H:m (server time), for me (Personal) or anyone (Campaign).",
          params: [id(), json("recordHandle", 1), text("rescheduleDate", "12/31/2030 9:30"), text("callbackType", "Personal")],
        },
        { name: "outbound.cancelReschedule", help: "Cancel the record's reschedule.", params: [id()] },
        { name: "outbound.getListOfCallResults", help: "The call results to choose from.", params: [] },
        {
          name: "outbound.setCallResult",
          help: "A call result, by code or name.",
          params: [id(), text("callResult", "Answer")],
        },
        { name: "outbound.getCallResult", help: "The record's call result.", params: [id()] },
        { name: "outbound.setDoNotCall", help: "The record's phone joins the do-not-call list.", params: [id()] },
        { name: "outbound.removeDoNotCall", help: "The record's phone leaves the do-not-call list.", params: [id()] },
      ],
    },
    {
      namespace: "messenger",
      about: "Messages between the frames of this agent (every desktop tab).",
      requests: [
        {
          name: "messenger.broadcastMessage",
          help: `Send to the agent's other frames listening to messenger:<channel> (this app listens to "${MESSENGER_CHANNEL}"); the reply is how many got it.`,
          params: [text("channel", MESSENGER_CHANNEL), json("message", { text: "Hello from the demo app" })],
        },
      ],
    },
    {
      namespace: "configuration",
      about: "Options the administrator lets frames read.",
      requests: [
        {
          name: "configuration.getOption",
          help: "Values of option, prefix.*, Section/option or Section/* (secrets never).",
          params: [json("names", ["interaction-workspace/*"])],
        },
      ],
    },
    {
      namespace: "auth",
      about: "Who the agent is, for this app's own back end.",
      requests: [
        {
          name: "auth.getJwtToken",
          help: "A signed JWT; verify it with the desktop's /.well-known/jwks.json.",
          params: [],
        },
      ],
    },
  ];
}

