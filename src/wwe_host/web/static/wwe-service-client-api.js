/*
 * wwe-service-client-api.js — the client library of wwe-host.
 *
 * A classic script: load it with <script src=".../wwe-service-client-api.js"></script> and use
 * window.genesys.wwe.service. It talks to the agent desktop with window.postMessage and is
 * wire-compatible with the vendor's Workspace Web Edition client library (same messages in
 * both directions), with additions: promises, ready(), request timeouts, origin checks,
 * several handlers per topic. See docs/client-library.md.
 *
 * Licensed under the Apache License, Version 2.0.
 */
(function (root) {
  "use strict";

  if (!root) {
    return;
  }

  var genesys = root.genesys;
  if (genesys === null || (typeof genesys !== "object" && typeof genesys !== "function")) {
    genesys = root.genesys = {};
  }
  var wwe = genesys.wwe;
  if (wwe === null || (typeof wwe !== "object" && typeof wwe !== "function")) {
    wwe = genesys.wwe = {};
  }
  if (wwe.service && wwe.service.__wweHostClient === true) {
    // Loaded twice in the same page: keep the first instance and its state.
    return;
  }

  var VERSION = "0.1.0";
  var USER_AGENT = "WWE Client";
  var PROTOCOL_VERSION = 2;
  var DEFAULT_TIMEOUT_MS = 10000;
  var DEFAULT_READY_TIMEOUT_MS = 10000;
  var NO_HOST_MESSAGE =
    "No Workspace host answered: is this page embedded in the agent desktop, and is its " +
    "origin listed in service-client-api.accepted-web-content-origins?";
  var UNLOADED_MESSAGE = "The client library was unloaded";
  // Keys of an outgoing request that the library sets itself.
  var RESERVED_KEYS = { referenceId: 1, userAgent: 1, protocolVersion: 1, frameId: 1, event: 1 };

  // The requests of the API: name on the wire, then the positional parameters ("?" = optional).
  var REQUESTS = [
    ["agent.get", []],
    ["agent.getState", []],
    ["agent.getStateList", []],
    ["agent.setState", ["operationName"]],
    ["media.getMediaList", []],
    ["media.getMediaByName", ["name"]],
    ["media.setState", ["name", "operationName"]],
    ["interaction.getInteractions", []],
    ["interaction.getByInteractionId", ["interactionId"]],
    ["interaction.setUserData", ["interactionId", "keyValues"]],
    ["interaction.deleteUserData", ["interactionId", "key"]],
    ["interaction.selectCaseByCaseId", ["caseId"]],
    ["interaction.markdone", ["interactionId"]],
    ["interaction.blockMarkdone", ["interactionId", "warningMessage"]],
    ["interaction.unblockMarkdone", ["interactionId"]],
    ["interaction.unlockMarkdone", ["interactionId"]],
    ["interaction.accept", ["interactionId"]],
    ["interaction.reject", ["interactionId"]],
    ["interaction.singleStepTransfer", ["interactionId", "target", "userData?", "extensions?"]],
    ["interaction.singleStepConference", ["interactionId", "target", "userData?", "extensions?"]],
    ["interaction.consult", ["interactionId", "target", "userData?", "extensions?"]],
    ["interaction.completeTransfer", ["consultInteractionId"]],
    ["interaction.completeConference", ["consultInteractionId"]],
    ["voice.dial", ["destination", "userData?"]],
    ["voice.dialEx", ["destination", "userData?", "extensions?"]],
    ["voice.answer", ["interactionId"]],
    ["voice.hold", ["interactionId"]],
    ["voice.resume", ["interactionId"]],
    ["voice.hangUp", ["interactionId"]],
    ["voice.startCallRecording", ["interactionId"]],
    ["voice.stopCallRecording", ["interactionId"]],
    ["voice.pauseCallRecording", ["interactionId"]],
    ["voice.resumeCallRecording", ["interactionId"]],
    ["voice.isMicrophoneMute", []],
    ["voice.muteMicrophone", []],
    ["voice.unmuteMicrophone", []],
    ["voice.isSpeakerMute", []],
    ["voice.muteSpeaker", []],
    ["voice.unmuteSpeaker", []],
    ["sipEndpoint.isMicrophoneMute", []],
    ["sipEndpoint.muteMicrophone", []],
    ["sipEndpoint.unmuteMicrophone", []],
    ["sipEndpoint.isSpeakerMute", []],
    ["sipEndpoint.muteSpeaker", []],
    ["sipEndpoint.unmuteSpeaker", []],
    ["email.create", ["destination", "userData?"]],
    ["system.getAllowedServices", []],
    ["system.triggerActivity", []],
    ["system.popupToast", ["parameters"]],
    ["system.updateToast", ["id", "parameters"]],
    ["system.closeToast", ["id"]],
    ["system.openDialog", ["url", "options?"]],
    ["system.closeDialog", ["dialogId"]],
    ["system.updateViewInApplicationMenuBar", ["parameters"]],
    ["system.closeViewInApplicationMenuBar", ["name"]],
    ["system.amIVisible", []],
    ["system.isFrameLeading", []],
    ["system.isFrameFollowing", []],
    ["system.isFrameNegotiating", []],
    ["system.isFrameLeadingOrNegotiating", []],
    ["system.isLastActiveFrame", []],
    ["outbound.getCampaigns", []],
    ["outbound.getPreviewRecord", ["campaignName"]],
    ["outbound.getChainedRecords", ["interactionId"]],
    ["outbound.getRecordFields", ["interactionId"]],
    ["outbound.updateRecordFields", ["interactionId", "recordData"]],
    ["outbound.callPreviewRecord", ["interactionId", "recordHandle"]],
    ["outbound.rejectPreviewRecord", ["interactionId"]],
    ["outbound.cancelPreviewRecord", ["interactionId"]],
    ["outbound.startDirectPushPreview", []],
    ["outbound.stopDirectPushPreview", []],
    ["outbound.rescheduleRecord", ["interactionId", "recordHandle", "rescheduleDate", "callbackType"]],
    ["outbound.cancelReschedule", ["interactionId"]],
    ["outbound.getListOfCallResults", []],
    ["outbound.setCallResult", ["interactionId", "callResult"]],
    ["outbound.getCallResult", ["interactionId"]],
    ["outbound.setDoNotCall", ["interactionId"]],
    ["outbound.removeDoNotCall", ["interactionId"]],
    // The message may be any value the structured clone copies, null included.
    ["messenger.broadcastMessage", ["channel", "message?"]],
    ["configuration.getOption", ["names"]],
    ["auth.getJwtToken", []]
  ];

  // ---------------------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------------------

  var explicitTarget = null; // set by targetWWEWindow()
  var hostOrigin = null; // event.origin of the last greeting
  var frameId; // frameId of the last greeting
  var nextReferenceId = 0;
  var requestTimeoutMs = DEFAULT_TIMEOUT_MS;
  var unloaded = false;
  var pending = {}; // referenceId -> {request, complete(reply, ok), timer}
  var abandonedSubscribes = {}; // referenceId of a timed-out subscribe -> true
  var entries = []; // {handler, context, topics, sub}
  var readyWaiters = []; // {resolve, reject, timer}

  // ---------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------

  function hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // A plain object, whatever realm created it (structured clone makes them in ours).
  function isPlainObject(value) {
    if (value === null || typeof value !== "object") {
      return false;
    }
    if (Object.prototype.toString.call(value) !== "[object Object]") {
      return false;
    }
    var proto = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  }

  function describe(value) {
    if (value === null) {
      return "null";
    }
    if (Array.isArray(value)) {
      return "an array";
    }
    return "a " + typeof value;
  }

  // Report an exception thrown by application code without breaking the library's state.
  function reportError(error) {
    if (typeof root.reportError === "function") {
      try {
        root.reportError(error);
        return;
      } catch (ignored) {
        // fall through
      }
    }
    setTimeout(function () {
      throw error;
    }, 0);
  }

  function callUser(fn, context, argument) {
    try {
      fn.call(context, argument);
    } catch (error) {
      reportError(error);
    }
  }

  function warn(text) {
    if (root.console && typeof root.console.warn === "function") {
      root.console.warn("wwe-service-client-api: " + text);
    }
  }

  function failure(request, errorCode, errorMessage) {
    return { request: request, errorCode: errorCode, errorMessage: errorMessage };
  }

  // One call's outcome: callbacks when the caller gave any, otherwise a Promise.
  function makeCompletion(request, done, fail) {
    var completion = { promise: undefined, settled: false };
    var resolve;
    var reject;
    if (typeof done === "function" || typeof fail === "function") {
      resolve = function (value) {
        if (typeof done === "function") {
          callUser(done, undefined, value);
        }
      };
      reject = function (value) {
        if (typeof fail === "function") {
          callUser(fail, undefined, value);
        } else {
          warn(request + " failed and no fail callback was given: " + value.errorMessage);
        }
      };
    } else {
      completion.promise = new Promise(function (res, rej) {
        resolve = res;
        reject = rej;
      });
    }
    completion.succeed = function (value) {
      if (!completion.settled) {
        completion.settled = true;
        resolve(value);
      }
    };
    completion.fail = function (value) {
      if (!completion.settled) {
        completion.settled = true;
        reject(value);
      }
    };
    // A failure found before anything was sent: always delivered asynchronously.
    completion.failLater = function (errorCode, errorMessage) {
      var value = failure(request, errorCode, errorMessage);
      Promise.resolve().then(function () {
        completion.fail(value);
      });
      return completion.promise;
    };
    return completion;
  }

  function currentTarget() {
    if (explicitTarget) {
      return explicitTarget;
    }
    if (root.opener) {
      return root.opener;
    }
    return root.parent;
  }

  function postOrigin() {
    // An opaque origin ("null") cannot be named as a targetOrigin.
    return hostOrigin && hostOrigin !== "null" ? hostOrigin : "*";
  }

  // Post one message to the host; returns null or {errorCode, errorMessage}.
  function post(message) {
    var target = currentTarget();
    if (!target || target === root || typeof target.postMessage !== "function") {
      return {
        errorCode: "UNAVAILABLE",
        errorMessage:
          "No Workspace window to send to: this page is not in a frame or popup of the agent " +
          "desktop (call genesys.wwe.service.targetWWEWindow(win) to name it)"
      };
    }
    if (target.closed === true) {
      return { errorCode: "UNAVAILABLE", errorMessage: "The Workspace window was closed" };
    }
    try {
      target.postMessage(message, postOrigin());
    } catch (error) {
      var name = error && error.name;
      var text = (error && error.message) || String(error);
      if (name === "DataCloneError") {
        return {
          errorCode: "INVALID_PARAMETER",
          errorMessage: "The message cannot be sent (a value cannot be copied): " + text
        };
      }
      return { errorCode: "UNAVAILABLE", errorMessage: "The message cannot be sent: " + text };
    }
    return null;
  }

  function stamp(message, withReference) {
    var referenceId;
    if (withReference) {
      referenceId = String(nextReferenceId);
      nextReferenceId += 1;
      message.referenceId = referenceId;
    }
    message.userAgent = USER_AGENT;
    message.protocolVersion = PROTOCOL_VERSION;
    if (frameId !== undefined) {
      message.frameId = frameId;
    }
    return referenceId;
  }

  function trimTrailingUndefined(parameters) {
    var end = parameters.length;
    while (end > 0 && parameters[end - 1] === undefined) {
      end -= 1;
    }
    return parameters.slice(0, end);
  }

  // Send a message that expects a reply. onReply(reply, ok) handles the outcome.
  function sendWithReply(message, completion, request, onReply) {
    var referenceId = stamp(message, true);
    var record = {
      request: request,
      onReply: onReply,
      timer: null
    };
    pending[referenceId] = record;
    if (requestTimeoutMs > 0) {
      record.timer = setTimeout(function () {
        if (pending[referenceId] !== record) {
          return;
        }
        delete pending[referenceId];
        onReply(failure(request, "TIMEOUT", "Request timeout"), false, referenceId, true);
      }, requestTimeoutMs);
    }
    var problem = post(message);
    if (problem) {
      delete pending[referenceId];
      if (record.timer !== null) {
        clearTimeout(record.timer);
      }
      Promise.resolve().then(function () {
        onReply(failure(request, problem.errorCode, problem.errorMessage), false, referenceId,
          false);
      });
    }
    return completion.promise;
  }

  // ---------------------------------------------------------------------------------------
  // Requests
  // ---------------------------------------------------------------------------------------

  function sendMessage(message, done, fail) {
    var request = isPlainObject(message) && typeof message.request === "string"
      ? message.request
      : undefined;
    var completion = makeCompletion(request, done, fail);
    if (unloaded) {
      return completion.failLater("UNLOADED", UNLOADED_MESSAGE);
    }
    if (!isPlainObject(message)) {
      return completion.failLater(
        "INVALID_PARAMETER",
        "sendMessage: the message must be an object such as {request: \"agent.get\"}, got " +
          describe(message)
      );
    }
    if (typeof message.request !== "string" || message.request === "") {
      return completion.failLater(
        "INVALID_PARAMETER",
        "sendMessage: the message has no 'request' name (a string such as \"agent.get\")"
      );
    }
    var parameters = message.parameters;
    if (parameters !== undefined && parameters !== null && !Array.isArray(parameters)) {
      return completion.failLater(
        "INVALID_PARAMETER",
        "sendMessage: 'parameters' must be an array of positional parameters, got " +
          describe(parameters)
      );
    }
    var out = { request: message.request };
    if (Array.isArray(parameters)) {
      parameters = trimTrailingUndefined(parameters);
      if (parameters.length > 0) {
        out.parameters = parameters;
      }
    }
    for (var key in message) {
      if (hasOwn(message, key) && key !== "request" && key !== "parameters" &&
          !hasOwn(RESERVED_KEYS, key)) {
        out[key] = message[key];
      }
    }
    return sendWithReply(out, completion, request, function (reply, ok) {
      if (ok) {
        completion.succeed(reply);
      } else {
        completion.fail(reply);
      }
    });
  }

  function makeRequestFunction(name, spec) {
    var arity = spec.length;
    var names = [];
    var required = [];
    for (var i = 0; i < arity; i += 1) {
      var optional = spec[i].charAt(spec[i].length - 1) === "?";
      names.push(optional ? spec[i].slice(0, -1) : spec[i]);
      required.push(!optional);
    }
    return function () {
      var args = Array.prototype.slice.call(arguments);
      // The callbacks start at the first function among the parameter slots, else after them.
      var start = arity;
      for (var j = 0; j < arity && j < args.length; j += 1) {
        if (typeof args[j] === "function") {
          start = j;
          break;
        }
      }
      var done = args[start];
      var fail = args[start + 1];
      var problem = null;
      if (done !== undefined && done !== null && typeof done !== "function") {
        problem = name + ": " + (arity === 0
          ? "takes no parameters; its arguments are (done, fail) callbacks, got "
          : "takes " + arity + " parameter" + (arity > 1 ? "s" : "") + " (" +
            names.join(", ") + ") then (done, fail) callbacks; argument " + (start + 1) +
            " is ") + describe(done);
        done = undefined;
      }
      if (fail !== undefined && fail !== null && typeof fail !== "function") {
        problem = problem || name + ": the fail callback must be a function, got " + describe(fail);
        fail = undefined;
      }
      var completion = makeCompletion(name, done, fail);
      if (problem) {
        return completion.failLater("INVALID_PARAMETER", problem);
      }
      var parameters = args.slice(0, Math.min(start, args.length));
      for (var k = 0; k < arity; k += 1) {
        if (required[k] && (parameters[k] === undefined || parameters[k] === null)) {
          return completion.failLater(
            "INVALID_PARAMETER",
            name + ": the parameter '" + names[k] + "' is missing"
          );
        }
      }
      if (unloaded) {
        return completion.failLater("UNLOADED", UNLOADED_MESSAGE);
      }
      var message = { request: name };
      parameters = trimTrailingUndefined(parameters);
      if (parameters.length > 0) {
        message.parameters = parameters;
      }
      return sendWithReply(message, completion, name, function (reply, ok) {
        if (ok) {
          completion.succeed(reply);
        } else {
          completion.fail(reply);
        }
      });
    };
  }

  // ---------------------------------------------------------------------------------------
  // Subscriptions
  // ---------------------------------------------------------------------------------------

  function sendUnsubscribe(subscriptionId) {
    var message = { event: "unsubscribe", data: subscriptionId };
    stamp(message, false); // the vendor sends it without a referenceId: no reply expected
    post(message);
  }

  function removeEntries(predicate) {
    var kept = [];
    var removed = [];
    for (var i = 0; i < entries.length; i += 1) {
      (predicate(entries[i]) ? removed : kept).push(entries[i]);
    }
    entries = kept;
    return removed;
  }

  function subscribe(topics, handler, context, done, fail) {
    var completion = makeCompletion(
      "subscribe",
      typeof done === "function" ? done : undefined,
      typeof fail === "function" ? fail : undefined
    );
    if (unloaded) {
      return completion.failLater("UNLOADED", UNLOADED_MESSAGE);
    }
    var list;
    if (typeof topics === "string" && topics !== "") {
      list = [topics];
    } else if (Array.isArray(topics) && topics.length > 0) {
      list = topics.slice();
      for (var i = 0; i < list.length; i += 1) {
        if (typeof list[i] !== "string" || list[i] === "") {
          return completion.failLater(
            "INVALID_PARAMETER",
            "subscribe: every topic must be a non-empty string, topic " + (i + 1) + " is " +
              describe(list[i])
          );
        }
      }
    } else {
      return completion.failLater(
        "INVALID_PARAMETER",
        "subscribe: 'topics' must be a topic name or a non-empty array of topic names, got " +
          describe(topics)
      );
    }
    if (typeof handler !== "function") {
      return completion.failLater(
        "INVALID_PARAMETER",
        "subscribe: the handler must be a function, got " + describe(handler)
      );
    }
    // One subscribe call = one subscription on the host, with its handler(s).
    var sub = { id: null, entries: 1, cancelled: false };
    var entry = { handler: handler, context: context, topics: list, sub: sub };
    entries.push(entry);
    var message = {
      event: "subscribe",
      data: typeof topics === "string" ? topics : list.slice()
    };
    return sendWithReply(message, completion, "subscribe", function (reply, ok, refId, timedOut) {
      if (ok) {
        sub.id = reply.subscriptionId;
        if (sub.cancelled && sub.id !== undefined && sub.id !== null) {
          sendUnsubscribe(sub.id);
        }
        completion.succeed(reply);
        return;
      }
      // No subscription on the host side: the handler is not registered.
      removeEntries(function (candidate) {
        return candidate.sub === sub;
      });
      if (timedOut) {
        abandonedSubscribes[refId] = true;
      }
      completion.fail(reply);
    });
  }

  function unsubscribe(handler) {
    if (typeof handler !== "function") {
      return false;
    }
    var removed = removeEntries(function (entry) {
      return entry.handler === handler;
    });
    for (var i = 0; i < removed.length; i += 1) {
      var sub = removed[i].sub;
      sub.entries -= 1;
      if (sub.entries === 0 && !sub.cancelled) {
        sub.cancelled = true;
        if (sub.id !== null && sub.id !== undefined && !unloaded) {
          sendUnsubscribe(sub.id);
        }
        // else: sent when the subscribe reply arrives
      }
    }
    return removed.length > 0;
  }

  // ---------------------------------------------------------------------------------------
  // Incoming messages
  // ---------------------------------------------------------------------------------------

  function settleReadyWaiters() {
    var waiters = readyWaiters;
    readyWaiters = [];
    for (var i = 0; i < waiters.length; i += 1) {
      clearTimeout(waiters[i].timer);
      waiters[i].resolve({ frameId: frameId, origin: hostOrigin });
    }
  }

  function withoutReferenceId(reply) {
    var copy = {};
    for (var key in reply) {
      if (hasOwn(reply, key) && key !== "referenceId") {
        copy[key] = reply[key];
      }
    }
    return copy;
  }

  function onMessage(event) {
    if (unloaded || !event) {
      return;
    }
    var data = event.data;
    if (!isPlainObject(data)) {
      return;
    }
    var agent = data.userAgent;
    if (typeof agent !== "string" || agent.indexOf("WWE") === -1 || agent === USER_AGENT) {
      return; // not from a Workspace host (or another client's message)
    }
    if (event.source !== currentTarget()) {
      return;
    }
    var isEvent = hasOwn(data, "event");
    var isReply = !isEvent && hasOwn(data, "referenceId");
    var isGreeting = !isEvent && !isReply && hasOwn(data, "frameId");
    if (!isGreeting && hostOrigin !== null && event.origin !== hostOrigin) {
      return;
    }
    if (isEvent) {
      dispatchEvent(data);
    } else if (isReply) {
      handleReply(data);
    } else if (isGreeting) {
      // The first greeting, or a new one after the frame or the desktop reloaded.
      hostOrigin = typeof event.origin === "string" ? event.origin : String(event.origin);
      frameId = data.frameId;
      settleReadyWaiters();
    }
  }

  function dispatchEvent(message) {
    var topic = message.event;
    var targets = [];
    for (var i = 0; i < entries.length; i += 1) {
      if (entries[i].topics.indexOf(topic) !== -1) {
        targets.push(entries[i]);
      }
    }
    for (var j = 0; j < targets.length; j += 1) {
      callUser(targets[j].handler, targets[j].context, message);
    }
  }

  function handleReply(data) {
    var referenceId = String(data.referenceId);
    var record = pending[referenceId];
    if (!record) {
      if (abandonedSubscribes[referenceId]) {
        // A subscribe that timed out succeeded after all: do not leave it on the host.
        delete abandonedSubscribes[referenceId];
        if (!hasOwn(data, "errorMessage") && data.subscriptionId !== undefined &&
            data.subscriptionId !== null) {
          sendUnsubscribe(data.subscriptionId);
        }
      }
      return; // unknown or late (after a timeout): ignored
    }
    delete pending[referenceId];
    if (record.timer !== null) {
      clearTimeout(record.timer);
    }
    var reply = withoutReferenceId(data);
    record.onReply(reply, !hasOwn(data, "errorMessage"), referenceId, false);
  }

  // ---------------------------------------------------------------------------------------
  // Public API
  // ---------------------------------------------------------------------------------------

  function targetWWEWindow(win) {
    if (win === undefined || win === null) {
      if (explicitTarget !== null) {
        explicitTarget = null;
        hostOrigin = null;
        frameId = undefined;
      }
      return;
    }
    if (typeof win.postMessage !== "function") {
      warn("targetWWEWindow: expected a window, got " + describe(win) + "; ignored");
      return;
    }
    if (win !== currentTarget()) {
      // Another host: its origin and our id there are not known until it greets us.
      hostOrigin = null;
      frameId = undefined;
    }
    explicitTarget = win;
  }

  function ready(timeoutMs) {
    if (unloaded) {
      return Promise.reject(new Error(UNLOADED_MESSAGE));
    }
    if (frameId !== undefined && hostOrigin !== null) {
      return Promise.resolve({ frameId: frameId, origin: hostOrigin });
    }
    var wait = typeof timeoutMs === "number" && timeoutMs >= 0 && isFinite(timeoutMs)
      ? timeoutMs
      : DEFAULT_READY_TIMEOUT_MS;
    return new Promise(function (resolve, reject) {
      var waiter = { resolve: resolve, reject: reject, timer: null };
      waiter.timer = setTimeout(function () {
        var index = readyWaiters.indexOf(waiter);
        if (index !== -1) {
          readyWaiters.splice(index, 1);
          reject(new Error(NO_HOST_MESSAGE));
        }
      }, wait);
      readyWaiters.push(waiter);
    });
  }

  function configure(options) {
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) {
        warn("configure: expected an object such as {timeout: 5000}, got " + describe(options));
      } else if (hasOwn(options, "timeout")) {
        var value = options.timeout;
        if (typeof value === "number" && value >= 0 && isFinite(value)) {
          requestTimeoutMs = value;
        } else {
          warn("configure: 'timeout' must be a number of milliseconds (0 = never), got " +
            String(value) + "; kept " + requestTimeoutMs);
        }
      }
    }
    return { timeout: requestTimeoutMs };
  }

  function unload() {
    if (unloaded) {
      return;
    }
    // Tell the host we no longer want events (no reply expected), then stop listening.
    var seen = {};
    for (var i = 0; i < entries.length; i += 1) {
      var sub = entries[i].sub;
      if (sub.id !== null && sub.id !== undefined && !seen[sub.id]) {
        seen[sub.id] = true;
        sendUnsubscribe(sub.id);
      }
    }
    unloaded = true;
    if (typeof root.removeEventListener === "function") {
      root.removeEventListener("message", onMessage, false);
    }
    entries = [];
    abandonedSubscribes = {};
    var records = pending;
    pending = {};
    for (var referenceId in records) {
      if (hasOwn(records, referenceId)) {
        var record = records[referenceId];
        if (record.timer !== null) {
          clearTimeout(record.timer);
        }
        record.onReply(failure(record.request, "UNLOADED", UNLOADED_MESSAGE), false,
          referenceId, false);
      }
    }
    var waiters = readyWaiters;
    readyWaiters = [];
    for (var w = 0; w < waiters.length; w += 1) {
      clearTimeout(waiters[w].timer);
      waiters[w].reject(new Error(UNLOADED_MESSAGE));
    }
  }

  var service = {
    version: VERSION,
    sendMessage: sendMessage,
    subscribe: subscribe,
    unsubscribe: unsubscribe,
    targetWWEWindow: targetWWEWindow,
    unload: unload,
    ready: ready,
    configure: configure
  };
  Object.defineProperty(service, "timeout", {
    enumerable: true,
    get: function () {
      return requestTimeoutMs;
    },
    set: function (value) {
      configure({ timeout: value });
    }
  });
  Object.defineProperty(service, "__wweHostClient", { value: true });

  for (var r = 0; r < REQUESTS.length; r += 1) {
    var fullName = REQUESTS[r][0];
    var dot = fullName.indexOf(".");
    var namespace = fullName.slice(0, dot);
    var method = fullName.slice(dot + 1);
    if (!service[namespace]) {
      service[namespace] = {};
    }
    service[namespace][method] = makeRequestFunction(fullName, REQUESTS[r][1]);
  }

  wwe.service = service;

  if (typeof root.addEventListener === "function") {
    root.addEventListener("message", onMessage, false);
  }
})(typeof window !== "undefined" ? window : typeof self !== "undefined" ? self : undefined);
