// A tiny fake document for the tests of the pages' modules (src/wwe_host/web/static): enough
// of the DOM for what the panels do (create, append, move, attributes, dataset, classList,
// events that bubble, focus, simple selectors), nothing of layout. Not a test file itself.
//
// `installDom()` puts a fresh `document`, `window`, `Node` and `CSS` on globalThis and
// returns the document; `page(html-less spec)` helpers build the elements a panel looks up
// by id.

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

class FakeNode {
  constructor(ownerDocument) {
    this.ownerDocument = ownerDocument;
    this.parentNode = null;
    this.childNodes = [];
  }

  get parentElement() {
    return this.parentNode instanceof FakeElement ? this.parentNode : null;
  }

  get firstChild() {
    return this.childNodes[0] ?? null;
  }

  get nextSibling() {
    if (!this.parentNode) return null;
    const siblings = this.parentNode.childNodes;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument;
  }

  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }

  contains(other) {
    for (let node = other; node; node = node.parentNode) if (node === this) return true;
    return false;
  }
}

class FakeText extends FakeNode {
  constructor(ownerDocument, data) {
    super(ownerDocument);
    this.nodeType = TEXT_NODE;
    this.data = String(data);
  }

  get textContent() {
    return this.data;
  }

  set textContent(value) {
    this.data = String(value);
  }
}

function toKebab(name) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function datasetOf(el) {
  return new Proxy({}, {
    get: (_, name) => (typeof name === "string" ? el.getAttribute(`data-${toKebab(name)}`) ?? undefined
      : undefined),
    set: (_, name, value) => {
      el.setAttribute(`data-${toKebab(name)}`, String(value));
      return true;
    },
    deleteProperty: (_, name) => {
      el.removeAttribute(`data-${toKebab(name)}`);
      return true;
    },
    has: (_, name) => el.hasAttribute(`data-${toKebab(name)}`),
    ownKeys: () => [...el.attributes.keys()].filter((n) => n.startsWith("data-"))
      .map((n) => n.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())),
    getOwnPropertyDescriptor: (_, name) => (el.hasAttribute(`data-${toKebab(name)}`)
      ? { enumerable: true, configurable: true, value: el.getAttribute(`data-${toKebab(name)}`) }
      : undefined),
  });
}

class ClassList {
  constructor(el) {
    this.el = el;
  }

  names() {
    return (this.el.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
  }

  contains(name) {
    return this.names().includes(name);
  }

  add(...names) {
    const set = new Set(this.names());
    for (const name of names) set.add(name);
    this.el.setAttribute("class", [...set].join(" "));
  }

  remove(...names) {
    this.el.setAttribute("class", this.names().filter((n) => !names.includes(n)).join(" "));
  }

  toggle(name, force) {
    const on = force === undefined ? !this.contains(name) : Boolean(force);
    if (on) this.add(name);
    else this.remove(name);
    return on;
  }
}

// Selectors: a comma list of compound selectors (tag, #id, .class, [attr], [attr=value],
// [attr="value"]), each optionally preceded by ancestors (descendant combinator).
function parseCompound(text) {
  const parts = { tag: null, id: null, classes: [], attrs: [] };
  const re = /^([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=(?:"((?:[^"\\]|\\.)*)"|([^\]]*)))?\]/g;
  let match;
  let consumed = 0;
  while ((match = re.exec(text)) !== null && match.index === consumed) {
    consumed = re.lastIndex;
    if (match[1]) parts.tag = match[1] === "*" ? null : match[1].toUpperCase();
    else if (match[2]) parts.id = match[2];
    else if (match[3]) parts.classes.push(match[3]);
    else {
      const value = match[5] !== undefined ? match[5].replace(/\\(.)/g, "$1") : match[6];
      parts.attrs.push([match[4], value]);
    }
    if (consumed === text.length) break;
  }
  if (consumed !== text.length) throw new Error(`fake-dom: unsupported selector ${text}`);
  return parts;
}

function matchesCompound(el, parts) {
  if (parts.tag && el.tagName !== parts.tag) return false;
  if (parts.id && el.getAttribute("id") !== parts.id) return false;
  for (const name of parts.classes) if (!el.classList.contains(name)) return false;
  for (const [name, value] of parts.attrs) {
    if (!el.hasAttribute(name)) return false;
    if (value !== undefined && el.getAttribute(name) !== value) return false;
  }
  return true;
}

function matches(el, selector) {
  return selector.split(",").some((one) => {
    const chain = one.trim().split(/\s+/).map(parseCompound);
    if (!matchesCompound(el, chain.at(-1))) return false;
    let node = el.parentElement;
    for (let n = chain.length - 2; n >= 0; n -= 1) {
      while (node && !matchesCompound(node, chain[n])) node = node.parentElement;
      if (!node) return false;
      node = node.parentElement;
    }
    return true;
  });
}

class FakeElement extends FakeNode {
  constructor(ownerDocument, tagName, namespaceURI = null) {
    super(ownerDocument);
    this.nodeType = ELEMENT_NODE;
    this.tagName = tagName.toUpperCase();
    this.namespaceURI = namespaceURI;
    this.attributes = new Map();
    this.listeners = new Map();
    this.dataset = datasetOf(this);
    this.classList = new ClassList(this);
    this.disabled = false;
    this.open = false; // <dialog>
    this.style = {}; // CSSOM properties as set (no cascade)
    this.inert = false;
    this.scrollTop = 0;
    this.scrollHeight = 0;
    this.clientHeight = 0;
    this._value = undefined;
  }

  get children() {
    return this.childNodes.filter((n) => n.nodeType === ELEMENT_NODE);
  }

  get id() {
    return this.getAttribute("id") ?? "";
  }

  set id(value) {
    this.setAttribute("id", value);
  }

  get className() {
    return this.getAttribute("class") ?? "";
  }

  set className(value) {
    this.setAttribute("class", value);
  }

  get hidden() {
    return this.hasAttribute("hidden");
  }

  set hidden(value) {
    if (value) this.setAttribute("hidden", "");
    else this.removeAttribute("hidden");
  }

  get value() {
    if (this.tagName === "SELECT") {
      const options = this.querySelectorAll("option");
      if (this._value !== undefined && options.some((o) => o.value === this._value)) return this._value;
      return options[0]?.value ?? "";
    }
    return this._value ?? this.getAttribute("value") ?? "";
  }

  set value(value) {
    this._value = String(value);
  }

  get textContent() {
    return this.childNodes.map((n) => n.textContent).join("");
  }

  set textContent(value) {
    this.replaceChildren(...(value === "" || value === null ? [] : [String(value)]));
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  adopt(child) {
    const node = typeof child === "string" ? new FakeText(this.ownerDocument, child) : child;
    if (node.contains(this)) throw new Error("fake-dom: a node cannot contain itself");
    node.remove();
    node.parentNode = this;
    return node;
  }

  append(...children) {
    for (const child of children) this.childNodes.push(this.adopt(child));
  }

  replaceChildren(...children) {
    for (const child of [...this.childNodes]) child.remove();
    this.append(...children);
  }

  insertBefore(child, reference) {
    if (reference === null || reference === undefined) {
      this.append(child);
      return child;
    }
    if (reference === child) return child;
    const node = this.adopt(child);
    this.childNodes.splice(this.childNodes.indexOf(reference), 0, node);
    return node;
  }

  after(...nodes) {
    const parent = this.parentNode;
    let reference = this.nextSibling;
    for (const node of nodes) {
      parent.insertBefore(node, reference);
      reference = node.nextSibling;
    }
  }

  descendants() {
    const out = [];
    for (const child of this.children) out.push(child, ...child.descendants());
    return out;
  }

  querySelectorAll(selector) {
    return this.descendants().filter((el) => matches(el, selector));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  matches(selector) {
    return matches(this, selector);
  }

  closest(selector) {
    for (let el = this; el; el = el.parentElement) if (matches(el, selector)) return el;
    return null;
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  removeEventListener(type, listener) {
    const list = this.listeners.get(type) ?? [];
    if (list.includes(listener)) list.splice(list.indexOf(listener), 1);
  }

  /** Dispatch an event that bubbles to the ancestors; returns false if prevented. */
  dispatchEvent(event) {
    if (!event.target) event.target = this;
    event.defaultPrevented ??= false;
    event.preventDefault ??= () => { event.defaultPrevented = true; };
    for (let el = this; el; el = el.parentElement) {
      event.currentTarget = el;
      for (const listener of [...(el.listeners.get(event.type) ?? [])]) listener(event);
    }
    return !event.defaultPrevented;
  }

  click() {
    this.dispatchEvent({ type: "click" });
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  blur() {
    if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body;
  }

  showModal() {
    this.open = true;
  }

  close() {
    this.open = false;
  }
}

class FakeDocument extends FakeNode {
  constructor() {
    super(null);
    this.ownerDocument = this;
    this.documentElement = new FakeElement(this, "html");
    this.childNodes.push(this.documentElement);
    this.documentElement.parentNode = this;
    this.body = new FakeElement(this, "body");
    this.documentElement.append(this.body);
    this.activeElement = this.body;
    this.title = "";
    this.visibilityState = "visible";
    this.listeners = new Map();
  }

  createElement(tag) {
    return new FakeElement(this, tag);
  }

  createElementNS(namespace, tag) {
    return new FakeElement(this, tag, namespace);
  }

  createTextNode(text) {
    return new FakeText(this, text);
  }

  getElementById(id) {
    return this.documentElement.descendants().find((el) => el.getAttribute("id") === id) ?? null;
  }

  querySelectorAll(selector) {
    return this.documentElement.querySelectorAll(selector);
  }

  querySelector(selector) {
    return this.documentElement.querySelector(selector);
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }
}

/** A fresh document (and window) on globalThis; returns the document. */
export function installDom() {
  const document = new FakeDocument();
  const windowListeners = new Map();
  globalThis.document = document;
  globalThis.window = {
    listeners: windowListeners,
    location: { href: "http://desktop.test/desktop", assign(url) { this.assigned = url; } },
    addEventListener(type, listener) {
      if (!windowListeners.has(type)) windowListeners.set(type, []);
      windowListeners.get(type).push(listener);
    },
    removeEventListener(type, listener) {
      const list = windowListeners.get(type) ?? [];
      if (list.includes(listener)) list.splice(list.indexOf(listener), 1);
    },
    /** Fire a window event to its listeners. */
    fire(type, event = {}) {
      for (const listener of [...(windowListeners.get(type) ?? [])]) listener({ type, ...event });
    },
  };
  globalThis.location = globalThis.window.location;
  globalThis.Node = { TEXT_NODE, ELEMENT_NODE };
  globalThis.CSS = { escape: (value) => String(value).replace(/["\\]/g, "\\$&") };
  return document;
}

/**
 * Elements with ids under <body>: `withIds({ "case-data-rows": "tbody", ... })`. An entry
 * "tag > parentId" puts it inside an element made earlier. Returns id → element.
 */
export function withIds(spec) {
  const made = {};
  for (const [id, what] of Object.entries(spec)) {
    const [tag, parentId] = what.split(">").map((s) => s.trim());
    const el = document.createElement(tag);
    el.id = id;
    (parentId ? made[parentId] : document.body).append(el);
    made[id] = el;
  }
  return made;
}

/** A DOM-like event for dispatchEvent. */
export function event(type, fields = {}) {
  return { type, ...fields };
}

/** The visible text of an element, whitespace collapsed. */
export function text(el) {
  return el.textContent.replace(/\s+/g, " ").trim();
}
