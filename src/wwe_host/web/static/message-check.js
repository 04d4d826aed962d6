// The relay's checks of a frame's message before it is forwarded (and before it is
// serialized): size and nesting, and the referenceId's type. Pure functions, no DOM: the
// relay imports them and tests run them in node. The server checks again, with the same
// limits and the same texts (src/wwe_host/message_limits.py).

export const DEFAULT_LIMITS = Object.freeze({ maxMessageBytes: 65_536, maxDepth: 32 });

export const tooLarge = (size, limit) =>
  `The message is ${size} bytes; the limit is ${limit} bytes (max-message-bytes).`;
export const tooLargeAtLeast = (limit) =>
  `The message is more than ${limit} bytes; the limit is ${limit} bytes (max-message-bytes).`;
export const tooDeep = (limit) =>
  `The message nests arrays and objects deeper than ${limit} levels (the limit).`;

/** Why a referenceId cannot be echoed back, or null (a string, a number, or absent). */
export function badReference(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number") return null;
  const kind = typeof value === "boolean" ? "a boolean"
    : Array.isArray(value) ? "an array"
      : typeof value === "object" ? "an object" : `a ${typeof value}`;
  return `'referenceId' must be a string or a number, not ${kind}.`;
}

/**
 * Walk a structured-clone value without recursion, at most `maxDepth` levels of arrays and
 * objects deep (the top level is 1), counting a lower bound of its JSON size; stop as soon
 * as either limit is passed. Returns null, or the problem's text.
 */
export function checkShape(value, { maxMessageBytes, maxDepth }) {
  let budget = maxMessageBytes;
  const stack = [value, 1];
  while (stack.length) {
    const depth = stack.pop();
    const item = stack.pop();
    if (item === null || item === undefined) {
      budget -= 4;
    } else if (typeof item === "string") {
      budget -= item.length + 2; // UTF-16 units: never more than the UTF-8 bytes
    } else if (typeof item === "object") {
      if (depth > maxDepth) return tooDeep(maxDepth);
      budget -= 2;
      if (Array.isArray(item)) {
        budget -= Math.max(0, item.length - 1); // the commas
        if (budget < 0) return tooLargeAtLeast(maxMessageBytes);
        for (let i = item.length - 1; i >= 0; i -= 1) stack.push(item[i], depth + 1);
      } else {
        let first = true;
        for (const key in item) {
          if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
          const member = item[key];
          if (member === undefined) continue; // JSON leaves it out
          budget -= key.length + 3 + (first ? 0 : 1); // "key": and the comma
          first = false;
          if (budget < 0) return tooLargeAtLeast(maxMessageBytes);
          stack.push(member, depth + 1);
        }
      }
    } else {
      budget -= 1; // a number, a boolean, a BigInt (which JSON refuses later)
    }
    if (budget < 0) return tooLargeAtLeast(maxMessageBytes);
  }
  return null;
}

/** UTF-8 bytes of a string JSON.stringify produced (well-formed: no lone surrogates). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Everything the relay checks before it forwards a frame's message. Returns {text} (the
 * JSON to forward) or {problem} (the INVALID_PARAMETER text for the frame).
 * @param {object} data  the message, already known to be a plain object
 * @param {{maxMessageBytes?: number, maxDepth?: number}} [limits]  the server's (snapshot)
 */
export function checkFrameMessage(data, limits) {
  const bound = {
    maxMessageBytes: limits?.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes,
    maxDepth: limits?.maxDepth ?? DEFAULT_LIMITS.maxDepth,
  };
  const wrongReference = badReference(data.referenceId);
  if (wrongReference) return { problem: wrongReference };
  const shape = checkShape(data, bound);
  if (shape) return { problem: shape };
  let text;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    return { problem: `The message cannot be sent as JSON: ${error?.message ?? error}` };
  }
  const size = utf8Length(text);
  if (size > bound.maxMessageBytes) return { problem: tooLarge(size, bound.maxMessageBytes) };
  return { text };
}
