// The dial pad (Number + Call, the same operation as voice.dial) and the new e-mail form.

import { $ } from "../shared/dom.js";

/**
 * A one-field form: an empty field is refused with `empty` (and focused); otherwise
 * `run(text)` and, when it succeeded, the field is emptied.
 */
function oneFieldForm(form, input, empty, run, actions) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      actions.showError(empty);
      input.focus();
      return;
    }
    const result = await run(text);
    if (result.ok) input.value = "";
  });
}

/** @param {import("./actions.js").Actions} actions */
export function startDialPad(actions) {
  oneFieldForm($("dial-form"), $("dial-number"), "Enter a number to call.",
    (destination) => actions.act("dial", { destination }), actions);
  oneFieldForm($("email-form"), $("email-address"), "Enter an e-mail address.",
    (to) => actions.act("createEmail", { to }), actions);
}
