// The chat id of each chat this page pushed (the interaction list does not carry it; the
// simulator's chat endpoints need it), kept in the tab's sessionStorage across reloads.

export const CHAT_IDS_KEY = "wwe-host.admin.chatIds";
const REMEMBERED = 200;

export class ChatIds {
  /** @param {Storage | null} storage  sessionStorage, or null to keep them in the page only */
  constructor(storage) {
    this.storage = storage;
    this.ids = new Map(); // interactionUUID → chatId
    try {
      for (const [uuid, id] of JSON.parse(storage?.getItem(CHAT_IDS_KEY) ?? "[]")) {
        this.ids.set(String(uuid), String(id));
      }
    } catch { /* nothing remembered */ }
  }

  remember(uuid, chatId) {
    if (!uuid || !chatId) return;
    this.ids.set(uuid, chatId);
    try {
      this.storage?.setItem(CHAT_IDS_KEY, JSON.stringify([...this.ids].slice(-REMEMBERED)));
    } catch { /* storage full or disabled: kept for this page only */ }
  }

  /** The chat id of an interaction: its own, else the one remembered, else null. */
  of(interaction) {
    return interaction.chatId ?? this.ids.get(interaction.interactionUUID) ?? null;
  }
}
