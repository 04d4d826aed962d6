// A table cell with a time: the local time of day, and the date when not today.

import { h } from "../shared/dom.js";
import { dayOf, timeOfDay } from "../shared/format.js";

/** The text of a time (Unix seconds): "HH:MM:SS.mmm", with "YYYY-MM-DD " when not today. */
export function timeText(seconds, now = new Date()) {
  const d = new Date(seconds * 1000);
  const clock = timeOfDay(d);
  return d.toDateString() === now.toDateString() ? clock : `${dayOf(d)} ${clock}`;
}

/** Unix seconds → a <td> with a <time> (its title has the date too); empty when no number. */
export function timeCell(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return h("td", { text: "" });
  const d = new Date(seconds * 1000);
  return h("td", { class: "t-time" },
    h("time", { datetime: d.toISOString(), title: `${dayOf(d)} ${timeOfDay(d)}`,
      text: timeText(seconds) }));
}
