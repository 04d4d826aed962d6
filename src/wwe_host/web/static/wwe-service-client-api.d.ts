// Type declarations for wwe-service-client-api.js, the wwe-host client library.
// Hand-written; keep in step with the script and with the spec (api.md, api-9.md,
// protocol.md). Requests of api-9.md a server does not answer yet fail with UNKNOWN_REQUEST.
//
// Use: reference this file (/// <reference path="wwe-service-client-api.d.ts" />) or list it
// in tsconfig "files"; the library is a classic script, so these are global declarations of
// `genesys.wwe.service` (also reachable as `window.genesys.wwe.service`).
//
// Every request has the same three forms:
//   method(...parameters, done, fail?)   -> void                (vendor style, callbacks)
//   method(...parameters, null, fail)    -> void                (failure callback only)
//   method(...parameters)                -> Promise<Reply<T>>   (no callbacks)
// The result of a request is at `.data` of the reply.

declare namespace genesys.wwe.service {
    // -------------------------------------------------------------------------------------
    // Agent and media
    // -------------------------------------------------------------------------------------

    type Role = "ROLE_AGENT" | "ROLE_SUPERVISOR" | "ROLE_ADMIN";

    interface Agent {
        employeeId: string;
        firstname: string;
        lastname: string;
        username: string;
        roles: Role[];
    }

    /**
     * A state type. PARTIAL_READY, OUT_OF_SERVICE, LOGOUT_DND_ON and UNKNOWN are only
     * reported, never in the state list and never settable.
     */
    type StateType =
        | "LOGOUT"
        | "READY"
        | "PARTIAL_READY"
        | "NOT_READY"
        | "NOT_READY_ACTION_CODE"
        | "NOT_READY_AFTER_CALLWORK"
        | "NOT_READY_AFTER_CALLWORK_ACTION_CODE"
        | "DND_ON"
        | "OUT_OF_SERVICE"
        | "LOGOUT_DND_ON"
        | "UNKNOWN";

    interface State {
        type: StateType;
        displayName: string;
        /** What `agent.setState` and `media.setState` take. */
        operationName: string;
        /** Not-ready states with a reason only. */
        reason?: string;
        reasonCode?: string;
    }

    type MediaName = "voice" | "email" | "chat";

    interface Device {
        /** The agent's DN. */
        number: string;
        /** The alternate number given at login for this session, if any. */
        dynamicPhoneNumber?: string;
    }

    interface Media {
        name: MediaName;
        state: State;
        /** Voice only. */
        device?: Device;
    }

    // -------------------------------------------------------------------------------------
    // Interactions
    // -------------------------------------------------------------------------------------

    interface Party {
        name: string;
    }

    type VoiceState = "UNKNOWN" | "RINGING" | "DIALING" | "TALKING" | "HELD" | "IDLE" | "PREVIEW";

    type OpenMediaState =
        | "INVITED"
        | "ACCEPTED"
        | "CREATED"
        | "COMPOSING"
        | "SENT"
        | "CANCELLED"
        | "COMPLETED"
        | "PULLED"
        | "REVOKED"
        | "ERROR"
        | "SAVED"
        | "TRANSFERRING"
        | "TRANSFER_COMPLETED"
        | "INVITED_CONFERENCE"
        | "LEFT_CONFERENCE"
        | "USER_DATA_ATTACHED"
        | "USER_DATA_UPDATED"
        | "JOIN_PENDING"
        | "JOIN_FAILED"
        | "HISTORY_IN_PROGRESS"
        | "HISTORY_DONE"
        | "ENDED";

    /** Known states; other values may appear and are passed through. */
    type InteractionState = VoiceState | OpenMediaState | (string & {});

    type CallDirection = "IN" | "OUT" | "UNKNOWN";
    type CallType = "INTERNAL" | "INBOUND" | "OUTBOUND" | "CONSULT" | "UNKNOWN";
    type RecordingState = "STOPPED" | "RECORDING" | "PAUSED";

    interface Interaction {
        /** Per desktop session: "1", "2", … stable for the life of that session. */
        interactionId: string;
        parentInteractionId: string | null;
        caseId: string;
        /** Attached data, limited to the keys of service-client-api.user-data.read-allowed. */
        userData: { [key: string]: unknown };
        state: InteractionState;
        previousState: InteractionState;
        parties: Party[];
        isConsultation: boolean;
        isMainCaseInteraction: boolean;
        isCaseSelected: boolean;
        isCaseExpanded: boolean;
        /** The call UUID for voice, the multimedia interaction id otherwise. */
        interactionUUID: string;
        media: MediaName;
        // Voice only:
        callUuid?: string;
        direction?: CallDirection;
        callType?: CallType;
        ani?: string | null;
        dnis?: string | null;
        recordingState?: RecordingState;
        // E-mail only:
        from?: string | null;
        to?: string | null;
        subject?: string | null;
        // Chat only: the number of messages.
        messages?: number;
        /** Set when the interaction is in error. */
        error?: string;
    }

    /** Attached-data values that a frame may write. */
    type UserDataValue = string | number | boolean;
    interface KeyValues {
        [key: string]: UserDataValue;
    }

    /** The result of `voice.dial`, `voice.dialEx` and `email.create`. */
    interface CreatedInteraction {
        interactionId: string;
    }

    /** Where a consult, transfer or conference goes (api-9.md). */
    interface Target {
        type: "AGENT" | "QUEUE" | "DN";
        /** A user name or an agent's DN (AGENT), a queue name (QUEUE), a number (DN). */
        destination: string;
        media?: "voice";
    }

    /** Key/value pairs for the switch: kept on the call (REST API, audit), never shown to frames. */
    interface Extensions {
        [key: string]: string;
    }

    // -------------------------------------------------------------------------------------
    // Outbound campaigns (api-9.md)
    // -------------------------------------------------------------------------------------

    type CampaignMode = "preview" | "push-preview";
    type CampaignStatus = "LOADED" | "RUNNING" | "STOPPED";

    interface Campaign {
        name: string;
        mode: CampaignMode;
        status: CampaignStatus;
    }

    /** The handle of one record of a chain. */
    type RecordHandle = string | number;

    /** A record's fields (every column of its CSV row but `phone` and `chain`). */
    interface RecordFields {
        [field: string]: string;
    }

    interface ChainedRecord {
        /** The server answers a number; requests accept it as a number or a string. */
        recordHandle: number;
        phone: string;
        fields: RecordFields;
    }

    interface CallResult {
        name: string;
        code: number;
    }

    /** `"Personal"`: due again for this agent; `"Campaign"`: for anyone of the campaign. */
    type CallbackType = "Personal" | "Campaign";

    // -------------------------------------------------------------------------------------
    // Dialogs, menu bar, configuration (api-9.md)
    // -------------------------------------------------------------------------------------

    interface DialogOptions {
        label?: string;
        /** Pixels (a number), or a CSS length such as `"430px"` or `"40%"` (px, %, vw, vh, em, rem). */
        width?: number | string;
        /** Pixels (a number), or a CSS length such as `"430px"` or `"40%"` (px, %, vw, vh, em, rem). */
        height?: number | string;
    }

    /** An item of the desktop's header, owned by the frame that made it. */
    interface MenuBarItem {
        name: string;
        label: string;
        shortLabel?: string;
        /** An http(s) URL. */
        iconUrl?: string;
        tooltip?: string;
        /** `#rgb` or `#rrggbb`. */
        backgroundColor?: string;
        /** `#rgb` or `#rrggbb`. */
        labelColor?: string;
    }

    /** What `configuration.getOption` answers: option values as written, by name as asked. */
    interface OptionValues {
        [name: string]: string;
    }

    // -------------------------------------------------------------------------------------
    // Toasts
    // -------------------------------------------------------------------------------------

    interface ToastParameters {
        /** Required by popupToast. */
        title: string;
        /** An http(s) URL. */
        iconUrl?: string;
        subject?: string;
        message?: string;
        keyValues?: { [key: string]: string | number | boolean };
        /** One button per string; their clicks arrive as CUSTOM_TOAST_BUTTON_CLICK events. */
        buttons?: string[];
        /** Show and Dismiss buttons (indexes 0 and 1); Show brings this frame forward. */
        buttonShowDismiss?: boolean;
        /** Close the toast after that many milliseconds (0: stay). */
        autoCloseTimeout?: number;
        /** Also file the toast in the MyMessage panel. */
        sendToMyMessage?: boolean;
    }

    // -------------------------------------------------------------------------------------
    // Replies and failures
    // -------------------------------------------------------------------------------------

    /** A success reply, as the host sent it minus `referenceId`: the result is at `data`. */
    interface Reply<T> {
        request: string;
        data: T;
        userAgent: string;
        protocolVersion: number;
    }

    type ErrorCode =
        | "NOT_ALLOWED"
        | "RATE_LIMITED"
        | "UNKNOWN_REQUEST"
        | "INVALID_PARAMETER"
        | "NOT_FOUND"
        | "INVALID_STATE"
        | "USER_DATA_NOT_ALLOWED"
        | "MARKDONE_BLOCKED"
        | "UNAVAILABLE"
        | "INTERNAL"
        /** No reply within the configured timeout (made by the library). */
        | "TIMEOUT"
        /** `unload()` was called while the request was pending (made by the library). */
        | "UNLOADED";

    /**
     * A failure: a reply with `errorMessage` from the host, or one made by the library
     * (TIMEOUT, UNLOADED, INVALID_PARAMETER for bad arguments, UNAVAILABLE when there is no
     * window to send to). `errorCode` is absent in replies from a host that does not send it.
     */
    interface Failure {
        /** The request name (absent when sendMessage got no request name). */
        request?: string;
        errorMessage: string;
        errorCode?: ErrorCode;
        userAgent?: string;
        protocolVersion?: number;
    }

    type Done<T> = (reply: Reply<T>) => void;
    type Fail = (failure: Failure) => void;

    /** What `sendMessage` takes: a request name and its positional parameters. */
    interface RequestMessage {
        request: string;
        parameters?: unknown[];
        [extra: string]: unknown;
    }

    // -------------------------------------------------------------------------------------
    // Topics and events
    // -------------------------------------------------------------------------------------

    type Topic =
        | "agent"
        | "interaction"
        | "media"
        | "system"
        | "markdone"
        | "outbound"
        | `messenger:${string}`;

    /** What a handler receives: the whole event message. */
    interface EventMessage<TTopic extends string, TData> {
        event: TTopic;
        data: TData;
        userAgent: string;
        protocolVersion: number;
    }

    /** Topic "agent": the aggregate state changed. */
    interface AgentStateChangedEvent {
        eventType: "STATE_CHANGED";
        mediaState: StateType;
        reason?: string;
        reasonCode?: string;
    }

    /** Topic "media": the state of one media changed. */
    interface MediaStateChangedEvent {
        eventType: "STATE_CHANGED";
        media: MediaName;
        state: State;
    }

    type InteractionEventType =
        // every media
        | "UNKNOWN"
        | "ADDED"
        | "REMOVED"
        | "ATTACHED_DATA_CHANGED"
        | "CASE_OR_BUNDLE_ID_CHANGED"
        | "NEW_MESSAGE"
        | "ERROR"
        // voice
        | "RINGING"
        | "DIALING"
        | "ESTABLISHED"
        | "HELD"
        | "RELEASED"
        | "PARTY_CHANGED"
        | "CALL_RECORDING_STATE_CHANGED"
        // open media
        | "INVITED"
        | "INVITED_CONFERENCE"
        | "ACCEPTED"
        | "CREATED"
        | "COMPOSING"
        | "COMPLETED"
        | "REVOKED"
        | "PULLED"
        | "PULL_FAILED"
        | "PULL_WORKBIN_FAILED"
        | "IN_QUEUE_FAILED"
        | "IN_WORKBIN"
        | "IN_WORKBIN_FAILED"
        | "LEFT_CONFERENCE"
        | "TRANSFER_COMPLETED"
        | "INSERT_STANDARD_RESPONSE"
        // e-mail
        | "SENT"
        | "CANCELLED"
        // chat
        | "ENDED"
        | "JOIN_PENDING"
        | "JOIN_FAILED";

    /** Topic "interaction": something happened to one interaction. */
    interface InteractionEvent {
        eventType: InteractionEventType;
        media: MediaName;
        interaction: Interaction;
    }

    type CaseEventType = "CASE_SELECTED" | "CASE_EXPANDED" | "CASE_COLLAPSED";

    /** Topic "interaction": the case selection changed in the desktop (`data` has no interaction). */
    type CaseEvent = CaseEventOf<"CASE_SELECTED"> | CaseEventOf<"CASE_EXPANDED"> | CaseEventOf<"CASE_COLLAPSED">;
    interface CaseEventOf<E extends CaseEventType> {
        eventType: E;
        selectedCaseId: string;
    }

    /** Topic "system": a button of one of this frame's toasts was clicked. */
    interface ToastButtonClickEvent {
        eventType: "CUSTOM_TOAST_BUTTON_CLICK";
        customToastId: string;
        /** 0-based; with buttonShowDismiss, Show is 0 and Dismiss is 1. */
        buttonIndex: number;
    }

    type FrameState = "LEADING" | "FOLLOWING" | "NEGOTIATING";

    /** Topic "system": the desktop tab holding this frame changed state (several tabs of one agent). */
    interface FrameStateChangedEvent {
        eventType: "FRAME_STATE_CHANGED";
        state: FrameState;
    }

    /** Topic "system": a dialog this frame opened was closed, by a frame or by the agent. */
    interface CustomDialogClosedEvent {
        eventType: "CUSTOM_DIALOG_CLOSED";
        dialogId: string;
        closedBy: "frame" | "agent";
    }

    /** Topic "system": the agent clicked this frame's item in the desktop's header. */
    interface MenuBarViewClickEvent {
        eventType: "APPLICATION_MENU_BAR_VIEW_CLICK";
        /** The item's `name`. */
        name: string;
    }

    /** Topic "system": events this version does not describe. */
    interface OtherSystemEvent {
        eventType: string;
        [field: string]: unknown;
    }

    /** The `outbound` topic's event types (docs/api.md, "outbound"). */
    type OutboundEventType =
        | "CAMPAIGN_LOADED"
        | "CAMPAIGN_STARTED"
        | "CAMPAIGN_STOPPED"
        | "CAMPAIGN_UNLOADED"
        | "RECORD_RECEIVED"
        | "RECORD_UPDATED"
        | "RECORD_CALLED"
        | "RECORD_REJECTED"
        | "RECORD_CANCELLED"
        | "RECORD_RESCHEDULED"
        | "RESCHEDULE_CANCELLED"
        | "RECORD_DUE"
        | "CALL_RESULT_SET"
        | "DO_NOT_CALL_SET"
        | "DO_NOT_CALL_REMOVED";

    /** Topic "outbound": a campaign's status or a record changed. */
    interface OutboundEvent {
        eventType: OutboundEventType;
        campaign?: Campaign;
        interaction?: Interaction;
    }

    /** Topic "markdone": the agent tried to mark done an interaction this frame blocked. */
    interface MarkdoneEvent {
        eventType: "MARKDONE_REQUESTED" | "MARKDONE_BLOCKED";
        interaction: Interaction;
    }

    type AgentEventMessage = EventMessage<"agent", AgentStateChangedEvent>;
    type MediaEventMessage = EventMessage<"media", MediaStateChangedEvent>;
    type InteractionEventMessage = EventMessage<"interaction", InteractionEvent | CaseEvent>;
    type SystemEventMessage = EventMessage<
        "system",
        | ToastButtonClickEvent
        | FrameStateChangedEvent
        | CustomDialogClosedEvent
        | MenuBarViewClickEvent
        | OtherSystemEvent
    >;
    type MarkdoneEventMessage = EventMessage<"markdone", MarkdoneEvent>;
    type OutboundEventMessage = EventMessage<"outbound", OutboundEvent>;
    /** `data` is the message another frame of the agent broadcast, as it sent it. */
    type MessengerEventMessage = EventMessage<`messenger:${string}`, unknown>;

    /** The event message type of a topic (a union for several topics). */
    type EventMessageFor<T extends Topic> = T extends "agent"
        ? AgentEventMessage
        : T extends "media"
          ? MediaEventMessage
          : T extends "interaction"
            ? InteractionEventMessage
            : T extends "system"
              ? SystemEventMessage
              : T extends "markdone"
                ? MarkdoneEventMessage
                : T extends "outbound"
                  ? OutboundEventMessage
                  : MessengerEventMessage;

    type AnyEventMessage =
        | AgentEventMessage
        | MediaEventMessage
        | InteractionEventMessage
        | SystemEventMessage
        | MarkdoneEventMessage
        | OutboundEventMessage
        | MessengerEventMessage;

    /** The reply to a subscribe. */
    interface SubscribeReply extends Reply<{ topics: Topic[] }> {
        subscriptionId: string;
    }

    // -------------------------------------------------------------------------------------
    // The library
    // -------------------------------------------------------------------------------------

    /** The library's version. */
    const version: string;

    /** The request timeout in milliseconds (default 10000; 0 = never). Same as configure(). */
    let timeout: number;

    interface ClientOptions {
        /** Request timeout in milliseconds (default 10000; 0 = never time out). */
        timeout?: number;
    }

    /** Changes the library's settings; returns the settings in force. */
    function configure(options?: ClientOptions): { timeout: number };

    interface ReadyInfo {
        /** The id the desktop gave this frame. */
        frameId: string;
        /** The desktop's origin, the only one this library posts to and accepts from. */
        origin: string;
    }

    /**
     * Resolves once the desktop has greeted this frame (at once if it already has); rejects
     * with an Error after `timeoutMs` (default 10000) when no desktop answers.
     */
    function ready(timeoutMs?: number): Promise<ReadyInfo>;

    /** Sends any request by name (also those without a function of their own). */
    function sendMessage<T = unknown>(message: RequestMessage, done: Done<T>, fail?: Fail): void;
    function sendMessage<T = unknown>(message: RequestMessage, done: null | undefined, fail: Fail): void;
    function sendMessage<T = unknown>(message: RequestMessage): Promise<Reply<T>>;

    /**
     * Calls `handler` (with `this` = `context`) with every event of these topics. Several
     * handlers may subscribe to the same topic. Resolves with the host's reply; a refused
     * subscription fails and keeps no handler.
     */
    function subscribe<T extends Topic, C = undefined>(
        topics: T | readonly T[],
        handler: (this: C, message: EventMessageFor<T>) => void,
        context?: C,
    ): Promise<SubscribeReply>;
    function subscribe<T extends Topic, C = undefined>(
        topics: T | readonly T[],
        handler: (this: C, message: EventMessageFor<T>) => void,
        context: C,
        done: (reply: SubscribeReply) => void,
        fail?: Fail,
    ): void;
    function subscribe<T extends Topic, C = undefined>(
        topics: T | readonly T[],
        handler: (this: C, message: EventMessageFor<T>) => void,
        context: C,
        done: null | undefined,
        fail: Fail,
    ): void;

    /**
     * Removes `handler` from every topic it was subscribed to; a subscription left without
     * handlers is cancelled at the host. Returns whether the handler was subscribed.
     */
    function unsubscribe(handler: (...args: never[]) => unknown): boolean;

    /**
     * Sends to `win` instead of window.opener / window.parent (e.g. a page that embeds the
     * desktop). `null` goes back to the default.
     */
    function targetWWEWindow(win: Window | null | undefined): void;

    /**
     * Stops the library: pending requests fail with UNLOADED, handlers are dropped and the
     * host is told, the message listener is removed. Later calls fail with UNLOADED.
     */
    function unload(): void;

    // -------------------------------------------------------------------------------------
    // The requests (api.md, api-9.md)
    // -------------------------------------------------------------------------------------

    namespace agent {
        /** The logged-in agent. Sends `agent.get`. */
        function get(done: Done<Agent>, fail?: Fail): void;
        function get(done: null | undefined, fail: Fail): void;
        function get(): Promise<Reply<Agent>>;
        /** The agent's state, aggregated over the agent's media (PARTIAL_READY when only some are ready). Sends `agent.getState`. */
        function getState(done: Done<State>, fail?: Fail): void;
        function getState(done: null | undefined, fail: Fail): void;
        function getState(): Promise<Reply<State>>;
        /** The states the agent may be put in; pass an `operationName` to `setState`. Sends `agent.getStateList`. */
        function getStateList(done: Done<State[]>, fail?: Fail): void;
        function getStateList(done: null | undefined, fail: Fail): void;
        function getStateList(): Promise<Reply<State[]>>;
        /** Sets every media of the agent to a state of `getStateList()` (its `operationName`, or its index in that list). Sends `agent.setState`. */
        function setState(operationName: string | number, done: Done<null>, fail?: Fail): void;
        function setState(operationName: string | number, done: null | undefined, fail: Fail): void;
        function setState(operationName: string | number): Promise<Reply<null>>;
    }

    namespace media {
        /** The agent's media (voice, email, chat) with their states. Sends `media.getMediaList`. */
        function getMediaList(done: Done<Media[]>, fail?: Fail): void;
        function getMediaList(done: null | undefined, fail: Fail): void;
        function getMediaList(): Promise<Reply<Media[]>>;
        /** One media by name; an unknown name fails with NOT_FOUND. Sends `media.getMediaByName`. */
        function getMediaByName(name: MediaName, done: Done<Media>, fail?: Fail): void;
        function getMediaByName(name: MediaName, done: null | undefined, fail: Fail): void;
        function getMediaByName(name: MediaName): Promise<Reply<Media>>;
        /** Sets the state of one media. Sends `media.setState`. */
        function setState(name: MediaName, operationName: string | number, done: Done<null>, fail?: Fail): void;
        function setState(name: MediaName, operationName: string | number, done: null | undefined, fail: Fail): void;
        function setState(name: MediaName, operationName: string | number): Promise<Reply<null>>;
    }

    namespace interaction {
        /** The agent's current interactions, oldest first. Sends `interaction.getInteractions`. */
        function getInteractions(done: Done<Interaction[]>, fail?: Fail): void;
        function getInteractions(done: null | undefined, fail: Fail): void;
        function getInteractions(): Promise<Reply<Interaction[]>>;
        /** One interaction, or `null` when the id is unknown. Sends `interaction.getByInteractionId`. */
        function getByInteractionId(interactionId: string, done: Done<Interaction | null>, fail?: Fail): void;
        function getByInteractionId(interactionId: string, done: null | undefined, fail: Fail): void;
        function getByInteractionId(interactionId: string): Promise<Reply<Interaction | null>>;
        /** Writes these attached-data keys (every key must be write-allowed, or nothing is written). Sends `interaction.setUserData`. */
        function setUserData(interactionId: string, keyValues: KeyValues, done: Done<null>, fail?: Fail): void;
        function setUserData(interactionId: string, keyValues: KeyValues, done: null | undefined, fail: Fail): void;
        function setUserData(interactionId: string, keyValues: KeyValues): Promise<Reply<null>>;
        /** Removes one attached-data key (an absent key succeeds). Sends `interaction.deleteUserData`. */
        function deleteUserData(interactionId: string, key: string, done: Done<null>, fail?: Fail): void;
        function deleteUserData(interactionId: string, key: string, done: null | undefined, fail: Fail): void;
        function deleteUserData(interactionId: string, key: string): Promise<Reply<null>>;
        /** Selects and expands that case in the desktop. Sends `interaction.selectCaseByCaseId`. */
        function selectCaseByCaseId(caseId: string, done: Done<null>, fail?: Fail): void;
        function selectCaseByCaseId(caseId: string, done: null | undefined, fail: Fail): void;
        function selectCaseByCaseId(caseId: string): Promise<Reply<null>>;
        /** Marks the interaction done (a voice call must be IDLE). Sends `interaction.markdone`. */
        function markdone(interactionId: string, done: Done<null>, fail?: Fail): void;
        function markdone(interactionId: string, done: null | undefined, fail: Fail): void;
        function markdone(interactionId: string): Promise<Reply<null>>;
        /** Refuses every mark done of the interaction, showing `warningMessage`, until unblocked. Sends `interaction.blockMarkdone`. */
        function blockMarkdone(interactionId: string, warningMessage: string, done: Done<null>, fail?: Fail): void;
        function blockMarkdone(interactionId: string, warningMessage: string, done: null | undefined, fail: Fail): void;
        function blockMarkdone(interactionId: string, warningMessage: string): Promise<Reply<null>>;
        /** Lifts a `blockMarkdone`. Sends `interaction.unblockMarkdone`. */
        function unblockMarkdone(interactionId: string, done: Done<null>, fail?: Fail): void;
        function unblockMarkdone(interactionId: string, done: null | undefined, fail: Fail): void;
        function unblockMarkdone(interactionId: string): Promise<Reply<null>>;
        /** Same as `unblockMarkdone` (the other spelling; sent as `interaction.unlockMarkdone`). Sends `interaction.unlockMarkdone`. */
        function unlockMarkdone(interactionId: string, done: Done<null>, fail?: Fail): void;
        function unlockMarkdone(interactionId: string, done: null | undefined, fail: Fail): void;
        function unlockMarkdone(interactionId: string): Promise<Reply<null>>;
        // api-9.md
        /** Accepts an offered interaction: a RINGING call is answered, an INVITED e-mail or chat is ACCEPTED. Sends `interaction.accept`. */
        function accept(interactionId: string, done: Done<null>, fail?: Fail): void;
        function accept(interactionId: string, done: null | undefined, fail: Fail): void;
        function accept(interactionId: string): Promise<Reply<null>>;
        /** Declines an offered interaction: it leaves the desktop (a routed item goes back to its queue). Sends `interaction.reject`. */
        function reject(interactionId: string, done: Done<null>, fail?: Fail): void;
        function reject(interactionId: string, done: null | undefined, fail: Fail): void;
        function reject(interactionId: string): Promise<Reply<null>>;
        /** Blind transfer: the target is offered the customer's call (`userData` merged); the agent's leg is released. Sends `interaction.singleStepTransfer`. */
        function singleStepTransfer(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: Done<null>, fail?: Fail): void;
        function singleStepTransfer(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: null | undefined, fail: Fail): void;
        function singleStepTransfer(interactionId: string, target: Target, done: Done<null>, fail?: Fail): void;
        function singleStepTransfer(interactionId: string, target: Target, userData: KeyValues | null | undefined, done: Done<null>, fail?: Fail): void;
        function singleStepTransfer(interactionId: string, target: Target, userData?: KeyValues | null, extensions?: Extensions | null): Promise<Reply<null>>;
        /** The target is offered a call that, once answered, joins this call as a third party. Sends `interaction.singleStepConference`. */
        function singleStepConference(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: Done<null>, fail?: Fail): void;
        function singleStepConference(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: null | undefined, fail: Fail): void;
        function singleStepConference(interactionId: string, target: Target, done: Done<null>, fail?: Fail): void;
        function singleStepConference(interactionId: string, target: Target, userData: KeyValues | null | undefined, done: Done<null>, fail?: Fail): void;
        function singleStepConference(interactionId: string, target: Target, userData?: KeyValues | null, extensions?: Extensions | null): Promise<Reply<null>>;
        /** Holds the agent's call and dials a consult call to the target; the result is the consult interaction's id. Sends `interaction.consult`. */
        function consult(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: Done<string>, fail?: Fail): void;
        function consult(interactionId: string, target: Target, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: null | undefined, fail: Fail): void;
        function consult(interactionId: string, target: Target, done: Done<string>, fail?: Fail): void;
        function consult(interactionId: string, target: Target, userData: KeyValues | null | undefined, done: Done<string>, fail?: Fail): void;
        function consult(interactionId: string, target: Target, userData?: KeyValues | null, extensions?: Extensions | null): Promise<Reply<string>>;
        /** Connects the customer to the consult target; both of the agent's legs are released. Sends `interaction.completeTransfer`. */
        function completeTransfer(consultInteractionId: string, done: Done<null>, fail?: Fail): void;
        function completeTransfer(consultInteractionId: string, done: null | undefined, fail: Fail): void;
        function completeTransfer(consultInteractionId: string): Promise<Reply<null>>;
        /** One call of three parties: the consult leg ends, the main call resumes with the target added. Sends `interaction.completeConference`. */
        function completeConference(consultInteractionId: string, done: Done<null>, fail?: Fail): void;
        function completeConference(consultInteractionId: string, done: null | undefined, fail: Fail): void;
        function completeConference(consultInteractionId: string): Promise<Reply<null>>;
    }

    namespace voice {
        /** Places an outbound call; `userData` is attached to it. Callbacks may follow `destination` directly. Sends `voice.dial`. */
        function dial(destination: string, userData: KeyValues | null | undefined, done: Done<CreatedInteraction>, fail?: Fail): void;
        function dial(destination: string, userData: KeyValues | null | undefined, done: null | undefined, fail: Fail): void;
        function dial(destination: string, done: Done<CreatedInteraction>, fail?: Fail): void;
        function dial(destination: string, userData?: KeyValues | null): Promise<Reply<CreatedInteraction>>;
        /** As `dial`, plus `extensions` for the switch (kept on the call for the REST API and the audit log, never shown to frames). Callbacks may follow `destination` directly. Sends `voice.dialEx`. */
        function dialEx(destination: string, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: Done<CreatedInteraction>, fail?: Fail): void;
        function dialEx(destination: string, userData: KeyValues | null | undefined, extensions: Extensions | null | undefined, done: null | undefined, fail: Fail): void;
        function dialEx(destination: string, done: Done<CreatedInteraction>, fail?: Fail): void;
        function dialEx(destination: string, userData: KeyValues | null | undefined, done: Done<CreatedInteraction>, fail?: Fail): void;
        function dialEx(destination: string, userData?: KeyValues | null, extensions?: Extensions | null): Promise<Reply<CreatedInteraction>>;
        /** Answers a RINGING call. Sends `voice.answer`. */
        function answer(interactionId: string, done: Done<null>, fail?: Fail): void;
        function answer(interactionId: string, done: null | undefined, fail: Fail): void;
        function answer(interactionId: string): Promise<Reply<null>>;
        /** Holds a TALKING call. Sends `voice.hold`. */
        function hold(interactionId: string, done: Done<null>, fail?: Fail): void;
        function hold(interactionId: string, done: null | undefined, fail: Fail): void;
        function hold(interactionId: string): Promise<Reply<null>>;
        /** Resumes a HELD call. Sends `voice.resume`. */
        function resume(interactionId: string, done: Done<null>, fail?: Fail): void;
        function resume(interactionId: string, done: null | undefined, fail: Fail): void;
        function resume(interactionId: string): Promise<Reply<null>>;
        /** Releases a live call. Sends `voice.hangUp`. */
        function hangUp(interactionId: string, done: Done<null>, fail?: Fail): void;
        function hangUp(interactionId: string, done: null | undefined, fail: Fail): void;
        function hangUp(interactionId: string): Promise<Reply<null>>;
        /** Starts recording the call. Sends `voice.startCallRecording`. */
        function startCallRecording(interactionId: string, done: Done<null>, fail?: Fail): void;
        function startCallRecording(interactionId: string, done: null | undefined, fail: Fail): void;
        function startCallRecording(interactionId: string): Promise<Reply<null>>;
        /** Stops recording the call. Sends `voice.stopCallRecording`. */
        function stopCallRecording(interactionId: string, done: Done<null>, fail?: Fail): void;
        function stopCallRecording(interactionId: string, done: null | undefined, fail: Fail): void;
        function stopCallRecording(interactionId: string): Promise<Reply<null>>;
        /** Pauses the recording. Sends `voice.pauseCallRecording`. */
        function pauseCallRecording(interactionId: string, done: Done<null>, fail?: Fail): void;
        function pauseCallRecording(interactionId: string, done: null | undefined, fail: Fail): void;
        function pauseCallRecording(interactionId: string): Promise<Reply<null>>;
        /** Resumes a paused recording. Sends `voice.resumeCallRecording`. */
        function resumeCallRecording(interactionId: string, done: Done<null>, fail?: Fail): void;
        function resumeCallRecording(interactionId: string, done: null | undefined, fail: Fail): void;
        function resumeCallRecording(interactionId: string): Promise<Reply<null>>;
        /** Whether the microphone of the agent's SIP endpoint is muted. Sends `voice.isMicrophoneMute`. */
        function isMicrophoneMute(done: Done<boolean>, fail?: Fail): void;
        function isMicrophoneMute(done: null | undefined, fail: Fail): void;
        function isMicrophoneMute(): Promise<Reply<boolean>>;
        /** Mutes the microphone of the agent's SIP endpoint. Sends `voice.muteMicrophone`. */
        function muteMicrophone(done: Done<null>, fail?: Fail): void;
        function muteMicrophone(done: null | undefined, fail: Fail): void;
        function muteMicrophone(): Promise<Reply<null>>;
        /** Unmutes the microphone of the agent's SIP endpoint. Sends `voice.unmuteMicrophone`. */
        function unmuteMicrophone(done: Done<null>, fail?: Fail): void;
        function unmuteMicrophone(done: null | undefined, fail: Fail): void;
        function unmuteMicrophone(): Promise<Reply<null>>;
        /** Whether the speaker of the agent's SIP endpoint is muted. Sends `voice.isSpeakerMute`. */
        function isSpeakerMute(done: Done<boolean>, fail?: Fail): void;
        function isSpeakerMute(done: null | undefined, fail: Fail): void;
        function isSpeakerMute(): Promise<Reply<boolean>>;
        /** Mutes the speaker of the agent's SIP endpoint. Sends `voice.muteSpeaker`. */
        function muteSpeaker(done: Done<null>, fail?: Fail): void;
        function muteSpeaker(done: null | undefined, fail: Fail): void;
        function muteSpeaker(): Promise<Reply<null>>;
        /** Unmutes the speaker of the agent's SIP endpoint. Sends `voice.unmuteSpeaker`. */
        function unmuteSpeaker(done: Done<null>, fail?: Fail): void;
        function unmuteSpeaker(done: null | undefined, fail: Fail): void;
        function unmuteSpeaker(): Promise<Reply<null>>;
    }

    namespace email {
        /** Opens a new outbound e-mail to `destination` in the desktop's composer. Callbacks may follow `destination` directly. Sends `email.create`. */
        function create(destination: string, userData: KeyValues | null | undefined, done: Done<CreatedInteraction>, fail?: Fail): void;
        function create(destination: string, userData: KeyValues | null | undefined, done: null | undefined, fail: Fail): void;
        function create(destination: string, done: Done<CreatedInteraction>, fail?: Fail): void;
        function create(destination: string, userData?: KeyValues | null): Promise<Reply<CreatedInteraction>>;
    }

    namespace system {
        /** Every request name this frame may call. Sends `system.getAllowedServices`. */
        function getAllowedServices(done: Done<string[]>, fail?: Fail): void;
        function getAllowedServices(done: null | undefined, fail: Fail): void;
        function getAllowedServices(): Promise<Reply<string[]>>;
        /** Resets the agent's inactivity timer. Sends `system.triggerActivity`. */
        function triggerActivity(done: Done<null>, fail?: Fail): void;
        function triggerActivity(done: null | undefined, fail: Fail): void;
        function triggerActivity(): Promise<Reply<null>>;
        /** Shows a toast in the desktop; the result is its id. Sends `system.popupToast`. */
        function popupToast(parameters: ToastParameters, done: Done<string>, fail?: Fail): void;
        function popupToast(parameters: ToastParameters, done: null | undefined, fail: Fail): void;
        function popupToast(parameters: ToastParameters): Promise<Reply<string>>;
        /** Changes one of this frame's toasts; `false` when the id is unknown. Sends `system.updateToast`. */
        function updateToast(id: string, parameters: Partial<ToastParameters>, done: Done<boolean>, fail?: Fail): void;
        function updateToast(id: string, parameters: Partial<ToastParameters>, done: null | undefined, fail: Fail): void;
        function updateToast(id: string, parameters: Partial<ToastParameters>): Promise<Reply<boolean>>;
        /** Closes one of this frame's toasts; `false` when the id is unknown. Sends `system.closeToast`. */
        function closeToast(id: string, done: Done<boolean>, fail?: Fail): void;
        function closeToast(id: string, done: null | undefined, fail: Fail): void;
        function closeToast(id: string): Promise<Reply<boolean>>;
        // api-9.md
        /** A modal dialog in the desktop holding an iframe of `url` (field codes and `$Dialog.Id$` replaced); the result is the dialog id (`wweCustomDialog<n>`). Sends `system.openDialog`. */
        function openDialog(url: string, options: DialogOptions | null | undefined, done: Done<string>, fail?: Fail): void;
        function openDialog(url: string, options: DialogOptions | null | undefined, done: null | undefined, fail: Fail): void;
        function openDialog(url: string, done: Done<string>, fail?: Fail): void;
        function openDialog(url: string, options?: DialogOptions | null): Promise<Reply<string>>;
        /** Closes a dialog; `false` for an unknown id. Sends `system.closeDialog`. */
        function closeDialog(dialogId: string, done: Done<boolean>, fail?: Fail): void;
        function closeDialog(dialogId: string, done: null | undefined, fail: Fail): void;
        function closeDialog(dialogId: string): Promise<Reply<boolean>>;
        /** Creates or updates this frame's item in the desktop's header; a click on it is a `system` event to this frame. Sends `system.updateViewInApplicationMenuBar`. */
        function updateViewInApplicationMenuBar(parameters: MenuBarItem, done: Done<null>, fail?: Fail): void;
        function updateViewInApplicationMenuBar(parameters: MenuBarItem, done: null | undefined, fail: Fail): void;
        function updateViewInApplicationMenuBar(parameters: MenuBarItem): Promise<Reply<null>>;
        /** Removes this frame's item; `false` when there is none of that name. Sends `system.closeViewInApplicationMenuBar`. */
        function closeViewInApplicationMenuBar(name: string, done: Done<boolean>, fail?: Fail): void;
        function closeViewInApplicationMenuBar(name: string, done: null | undefined, fail: Fail): void;
        function closeViewInApplicationMenuBar(name: string): Promise<Reply<boolean>>;
        /** Whether this frame is shown now (its tab selected, the window not hidden). Sends `system.amIVisible`. */
        function amIVisible(done: Done<boolean>, fail?: Fail): void;
        function amIVisible(done: null | undefined, fail: Fail): void;
        function amIVisible(): Promise<Reply<boolean>>;
        /** Whether the desktop tab holding this frame leads (several tabs of one agent). Sends `system.isFrameLeading`. */
        function isFrameLeading(done: Done<boolean>, fail?: Fail): void;
        function isFrameLeading(done: null | undefined, fail: Fail): void;
        function isFrameLeading(): Promise<Reply<boolean>>;
        /** Whether the desktop tab holding this frame follows another. Sends `system.isFrameFollowing`. */
        function isFrameFollowing(done: Done<boolean>, fail?: Fail): void;
        function isFrameFollowing(done: null | undefined, fail: Fail): void;
        function isFrameFollowing(): Promise<Reply<boolean>>;
        /** Whether the desktop tabs are choosing a leader now. Sends `system.isFrameNegotiating`. */
        function isFrameNegotiating(done: Done<boolean>, fail?: Fail): void;
        function isFrameNegotiating(done: null | undefined, fail: Fail): void;
        function isFrameNegotiating(): Promise<Reply<boolean>>;
        /** Leading or negotiating. Sends `system.isFrameLeadingOrNegotiating`. */
        function isFrameLeadingOrNegotiating(done: Done<boolean>, fail?: Fail): void;
        function isFrameLeadingOrNegotiating(done: null | undefined, fail: Fail): void;
        function isFrameLeadingOrNegotiating(): Promise<Reply<boolean>>;
        /** Whether this frame is in the desktop tab the agent used last. Sends `system.isLastActiveFrame`. */
        function isLastActiveFrame(done: Done<boolean>, fail?: Fail): void;
        function isLastActiveFrame(done: null | undefined, fail: Fail): void;
        function isLastActiveFrame(): Promise<Reply<boolean>>;
    }

    namespace outbound {
        /** The campaigns the agent belongs to. Sends `outbound.getCampaigns`. */
        function getCampaigns(done: Done<Campaign[]>, fail?: Fail): void;
        function getCampaigns(done: null | undefined, fail: Fail): void;
        function getCampaigns(): Promise<Reply<Campaign[]>>;
        /** Takes the next record of a running preview campaign: a preview interaction appears; the result is its interactionId. Sends `outbound.getPreviewRecord`. */
        function getPreviewRecord(campaignName: string, done: Done<string>, fail?: Fail): void;
        function getPreviewRecord(campaignName: string, done: null | undefined, fail: Fail): void;
        function getPreviewRecord(campaignName: string): Promise<Reply<string>>;
        /** The records of the current record's chain. Sends `outbound.getChainedRecords`. */
        function getChainedRecords(interactionId: string, done: Done<ChainedRecord[]>, fail?: Fail): void;
        function getChainedRecords(interactionId: string, done: null | undefined, fail: Fail): void;
        function getChainedRecords(interactionId: string): Promise<Reply<ChainedRecord[]>>;
        /** The current record's fields. Sends `outbound.getRecordFields`. */
        function getRecordFields(interactionId: string, done: Done<RecordFields>, fail?: Fail): void;
        function getRecordFields(interactionId: string, done: null | undefined, fail: Fail): void;
        function getRecordFields(interactionId: string): Promise<Reply<RecordFields>>;
        /** Writes string fields of the record. Sends `outbound.updateRecordFields`. */
        function updateRecordFields(interactionId: string, recordData: RecordFields, done: Done<null>, fail?: Fail): void;
        function updateRecordFields(interactionId: string, recordData: RecordFields, done: null | undefined, fail: Fail): void;
        function updateRecordFields(interactionId: string, recordData: RecordFields): Promise<Reply<null>>;
        /** Dials the record's phone: a voice interaction in the same case. Sends `outbound.callPreviewRecord`. */
        function callPreviewRecord(interactionId: string, recordHandle: RecordHandle, done: Done<null>, fail?: Fail): void;
        function callPreviewRecord(interactionId: string, recordHandle: RecordHandle, done: null | undefined, fail: Fail): void;
        function callPreviewRecord(interactionId: string, recordHandle: RecordHandle): Promise<Reply<null>>;
        /** The record returns to the campaign; the preview leaves the desktop. Sends `outbound.rejectPreviewRecord`. */
        function rejectPreviewRecord(interactionId: string, done: Done<null>, fail?: Fail): void;
        function rejectPreviewRecord(interactionId: string, done: null | undefined, fail: Fail): void;
        function rejectPreviewRecord(interactionId: string): Promise<Reply<null>>;
        /** The record is closed without a call; the preview leaves the desktop. Sends `outbound.cancelPreviewRecord`. */
        function cancelPreviewRecord(interactionId: string, done: Done<null>, fail?: Fail): void;
        function cancelPreviewRecord(interactionId: string, done: null | undefined, fail: Fail): void;
        function cancelPreviewRecord(interactionId: string): Promise<Reply<null>>;
        /** From now on push-preview records are offered to the agent as they become due. Sends `outbound.startDirectPushPreview`. */
        function startDirectPushPreview(done: Done<null>, fail?: Fail): void;
        function startDirectPushPreview(done: null | undefined, fail: Fail): void;
        function startDirectPushPreview(): Promise<Reply<null>>;
        /** Stops offering push-preview records. Sends `outbound.stopDirectPushPreview`. */
        function stopDirectPushPreview(done: Done<null>, fail?: Fail): void;
        function stopDirectPushPreview(done: null | undefined, fail: Fail): void;
        function stopDirectPushPreview(): Promise<Reply<null>>;
        /** The record is due again at `rescheduleDate` (`"M/D/YYYY H:m"`, the server's time zone), for this agent (`"Personal"`) or anyone (`"Campaign"`). Sends `outbound.rescheduleRecord`. */
        function rescheduleRecord(interactionId: string, recordHandle: RecordHandle, rescheduleDate: string, callbackType: CallbackType, done: Done<null>, fail?: Fail): void;
        function rescheduleRecord(interactionId: string, recordHandle: RecordHandle, rescheduleDate: string, callbackType: CallbackType, done: null | undefined, fail: Fail): void;
        function rescheduleRecord(interactionId: string, recordHandle: RecordHandle, rescheduleDate: string, callbackType: CallbackType): Promise<Reply<null>>;
        /** Cancels the record's reschedule. Sends `outbound.cancelReschedule`. */
        function cancelReschedule(interactionId: string, done: Done<null>, fail?: Fail): void;
        function cancelReschedule(interactionId: string, done: null | undefined, fail: Fail): void;
        function cancelReschedule(interactionId: string): Promise<Reply<null>>;
        /** The call results a record may be given. Sends `outbound.getListOfCallResults`. */
        function getListOfCallResults(done: Done<CallResult[]>, fail?: Fail): void;
        function getListOfCallResults(done: null | undefined, fail: Fail): void;
        function getListOfCallResults(): Promise<Reply<CallResult[]>>;
        /** Sets the record's call result (its code or name). Sends `outbound.setCallResult`. */
        function setCallResult(interactionId: string, callResult: string | number, done: Done<null>, fail?: Fail): void;
        function setCallResult(interactionId: string, callResult: string | number, done: null | undefined, fail: Fail): void;
        function setCallResult(interactionId: string, callResult: string | number): Promise<Reply<null>>;
        /** The record's call result. Sends `outbound.getCallResult`. */
        function getCallResult(interactionId: string, done: Done<CallResult | null>, fail?: Fail): void;
        function getCallResult(interactionId: string, done: null | undefined, fail: Fail): void;
        function getCallResult(interactionId: string): Promise<Reply<CallResult | null>>;
        /** The record's phone joins the do-not-call list. Sends `outbound.setDoNotCall`. */
        function setDoNotCall(interactionId: string, done: Done<null>, fail?: Fail): void;
        function setDoNotCall(interactionId: string, done: null | undefined, fail: Fail): void;
        function setDoNotCall(interactionId: string): Promise<Reply<null>>;
        /** The record's phone leaves the do-not-call list. Sends `outbound.removeDoNotCall`. */
        function removeDoNotCall(interactionId: string, done: Done<null>, fail?: Fail): void;
        function removeDoNotCall(interactionId: string, done: null | undefined, fail: Fail): void;
        function removeDoNotCall(interactionId: string): Promise<Reply<null>>;
    }

    namespace messenger {
        /** Sends `{event: "messenger:<channel>", data: message}` to every other frame of this agent (every desktop tab) subscribed to `messenger:<channel>`; never to the sender or another agent's frames. `channel`: 1 to 64 letters, digits, `.`, `_`, `-`. The result is the number of frames reached. Sends `messenger.broadcastMessage`. */
        function broadcastMessage(channel: string, message: unknown | null | undefined, done: Done<number>, fail?: Fail): void;
        function broadcastMessage(channel: string, message: unknown | null | undefined, done: null | undefined, fail: Fail): void;
        function broadcastMessage(channel: string, done: Done<number>, fail?: Fail): void;
        function broadcastMessage(channel: string, message?: unknown | null): Promise<Reply<number>>;
    }

    namespace configuration {
        /** The agent's effective values of these options (`option`, `prefix.*`, `Section/option`, `Section/*`), keys as asked; only those of `service-client-api.configuration.read-allowed`, never secrets. Absent names are simply missing. Sends `configuration.getOption`. */
        function getOption(names: string[] | string, done: Done<OptionValues>, fail?: Fail): void;
        function getOption(names: string[] | string, done: null | undefined, fail: Fail): void;
        function getOption(names: string[] | string): Promise<Reply<OptionValues>>;
    }

    namespace auth {
        /** A signed JWT (compact form) for this frame's back end: claims iss, sub, aud (this frame's origin), iat, exp, jti, name, employeeId, roles; public keys at `/.well-known/jwks.json`. Sends `auth.getJwtToken`. */
        function getJwtToken(done: Done<string>, fail?: Fail): void;
        function getJwtToken(done: null | undefined, fail: Fail): void;
        function getJwtToken(): Promise<Reply<string>>;
    }

    namespace sipEndpoint {
        /** Whether the microphone of the agent's SIP endpoint is muted. Sends `sipEndpoint.isMicrophoneMute`. */
        function isMicrophoneMute(done: Done<boolean>, fail?: Fail): void;
        function isMicrophoneMute(done: null | undefined, fail: Fail): void;
        function isMicrophoneMute(): Promise<Reply<boolean>>;
        /** Mutes the microphone of the agent's SIP endpoint. Sends `sipEndpoint.muteMicrophone`. */
        function muteMicrophone(done: Done<null>, fail?: Fail): void;
        function muteMicrophone(done: null | undefined, fail: Fail): void;
        function muteMicrophone(): Promise<Reply<null>>;
        /** Unmutes the microphone of the agent's SIP endpoint. Sends `sipEndpoint.unmuteMicrophone`. */
        function unmuteMicrophone(done: Done<null>, fail?: Fail): void;
        function unmuteMicrophone(done: null | undefined, fail: Fail): void;
        function unmuteMicrophone(): Promise<Reply<null>>;
        /** Whether the speaker of the agent's SIP endpoint is muted. Sends `sipEndpoint.isSpeakerMute`. */
        function isSpeakerMute(done: Done<boolean>, fail?: Fail): void;
        function isSpeakerMute(done: null | undefined, fail: Fail): void;
        function isSpeakerMute(): Promise<Reply<boolean>>;
        /** Mutes the speaker of the agent's SIP endpoint. Sends `sipEndpoint.muteSpeaker`. */
        function muteSpeaker(done: Done<null>, fail?: Fail): void;
        function muteSpeaker(done: null | undefined, fail: Fail): void;
        function muteSpeaker(): Promise<Reply<null>>;
        /** Unmutes the speaker of the agent's SIP endpoint. Sends `sipEndpoint.unmuteSpeaker`. */
        function unmuteSpeaker(done: Done<null>, fail?: Fail): void;
        function unmuteSpeaker(done: null | undefined, fail: Fail): void;
        function unmuteSpeaker(): Promise<Reply<null>>;
    }
}

interface Window {
    genesys: typeof genesys;
}
