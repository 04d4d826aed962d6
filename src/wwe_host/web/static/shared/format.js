// Turning values into the text both pages show. Pure functions: no DOM, no globals (a clock
// reads the local time zone of the browser, as a person expects).

/** Any value as text: objects as JSON, null and undefined as "". */
export function asText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** key/value pairs from an object, a JSON string of one, or an array of pairs. */
export function pairsOf(value) {
  let data = value;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return data ? [["", data]] : [];
    }
  }
  if (Array.isArray(data)) {
    return data.map((item) => (Array.isArray(item) ? [asText(item[0]), asText(item[1])]
      : [asText(item?.key), asText(item?.value)]));
  }
  if (data && typeof data === "object") {
    return Object.entries(data).map(([k, v]) => [k, asText(v)]);
  }
  return [];
}

/** Whether `value` is an absolute or relative http(s) URL (relative to `base`). */
export function isHttpUrl(value, base = globalThis.location?.href) {
  if (typeof value !== "string" || !value) return false;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export const two = (n) => String(n).padStart(2, "0");

/** Local time of day of a Date: HH:MM:SS, with `.mmm` when `millis`. */
export function timeOfDay(date, { millis = true } = {}) {
  const text = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  return millis ? `${text}.${String(date.getMilliseconds()).padStart(3, "0")}` : text;
}

/** Local HH:MM:SS.mmm of epoch milliseconds. */
export function clock(epochMs) {
  return timeOfDay(new Date(epochMs));
}

/** Local YYYY-MM-DD of a Date. */
export function dayOf(date) {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** A duration in seconds as MM:SS, or H:MM:SS from an hour on; negative counts as 0. */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${two(minutes)}:${two(s % 60)}`;
}

/** Milliseconds as "12.3 ms"; "" when not a number. */
export function millisText(ms) {
  return typeof ms === "number" ? `${ms.toFixed(1)} ms` : "";
}

/**
 * The colour class of a request's outcome (the traffic inspector, the audit log):
 * `refused` (refused:*, quarantined), `failed` (failed, error…), `ok` (allowed, ok) or "".
 */
export function outcomeKind(outcome) {
  const text = String(outcome ?? "");
  if (text.startsWith("refused") || text === "quarantined") return "refused";
  if (text === "failed" || text.startsWith("error")) return "failed";
  if (text === "allowed" || text === "ok") return "ok";
  return "";
}
