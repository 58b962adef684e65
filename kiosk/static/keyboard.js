/* fieldkiosk: the on-screen keyboard (the kiosk's `keyboard` setting; its keys are in
   templates/keyboard.html). It shows at the bottom of the screen while a text field has
   focus, with the keys that field wants, types at the field's caret, and never takes focus
   from the field nor covers it: the page gets room below for the keyboard and scrolls the
   field above it. No inline script or style anywhere (CSP). */
(function () {
  "use strict";

  var keyboard = document.getElementById("keyboard");
  if (!keyboard) { return; }
  var field = null;
  var GAP = 8;  // CSS px between the field and the keyboard's top edge

  var TYPED = /^(text|email|tel|search|url|number|password)$/;  // input types typed into

  function typeable(element) {
    return !!element && !element.readOnly && !element.disabled && (element.tagName === "TEXTAREA"
      || (element.tagName === "INPUT" && TYPED.test(element.type)));
  }

  function set(name, value) { keyboard.setAttribute("data-" + name, String(value)); }
  function key(action) { return keyboard.querySelector("[value='" + action + "']"); }

  function shift(on) {
    set("shift", on);
    var button = key("shift");
    if (button) { button.setAttribute("aria-pressed", String(on)); }
  }

  // The next field to type in on the same form, if any: "Next" goes there, else "go" sends.
  function following() {
    var fields = field.form ? Array.prototype.filter.call(field.form.elements, typeable) : [];
    return fields[fields.indexOf(field) + 1] || null;
  }

  // Room below the page for the keyboard, and the field scrolled to sit above it.
  function place() {
    if (!field) { return; }
    var height = keyboard.offsetHeight;
    document.body.style.paddingBottom = height + "px";
    var box = field.getBoundingClientRect();
    var under = box.bottom - (window.innerHeight - height - GAP);
    var by = under > 0 ? Math.min(under, box.top - GAP) : Math.min(box.top - GAP, 0);
    if (by) { window.scrollBy(0, by); }
  }

  function open(element) {
    field = element;
    var mode = /^(numeric|decimal|tel)$/.test(element.inputMode) ? element.inputMode
      : (/^(tel|email)$/.test(element.type) ? element.type : "text");
    set("mode", mode);
    set("layer", /^(text|email)$/.test(mode) ? "letters" : "digits");
    set("caps", element.autocapitalize === "characters");
    shift(false);
    var go = key("go"), submit = element.form && element.form.querySelector("[type=submit]");
    go.textContent = following() ? go.getAttribute("data-next")
      : (submit && submit.textContent.trim()) || go.getAttribute("data-done");
    keyboard.hidden = false;
    place();
  }

  function close() {
    field = null;
    keyboard.hidden = true;
    document.body.style.paddingBottom = "";
  }

  // Put `text` in place of the selection, or delete what is before the caret (`back`),
  // then tell anything listening, as typing does. Email inputs have no caret to read.
  function type(text, back) {
    var value = field.value, start = field.selectionStart, end = field.selectionEnd;
    if (start === null) { start = end = value.length; }
    if (back && start === end) {
      if (!start) { return; }
      start -= 1;
    }
    if (field.maxLength >= 0 && value.length - (end - start) + text.length > field.maxLength) {
      return;
    }
    field.value = value.slice(0, start) + text + value.slice(end);
    if (field.selectionStart !== null) {
      field.setSelectionRange(start + text.length, start + text.length);
    }
    field.dispatchEvent(new InputEvent("input", {
      bubbles: true, inputType: back ? "deleteContentBackward" : "insertText", data: back ? null : text
    }));
    place();  // the page may have been scrolled since: what is typed stays in sight
  }

  function press(button) {
    var action = button.value;
    if (action === "shift") {
      shift(keyboard.getAttribute("data-shift") !== "true");
    } else if (action === "layer") {
      set("layer", keyboard.getAttribute("data-layer") === "letters" ? "symbols" : "letters");
      place();
    } else if (action === "hide") {
      field.blur();
      close();
    } else if (action === "go") {
      var next = following();
      if (next) { next.focus(); } else if (field.form) { field.form.requestSubmit(); }
    } else if (action === "delete") {
      type("", true);
    } else {
      var text = action === "space" ? " " : button.textContent;
      var upper = keyboard.getAttribute("data-shift") === "true"
        || keyboard.getAttribute("data-caps") === "true";
      type(upper ? text.toUpperCase() : text, false);
      shift(false);
    }
  }

  // A key press must not move focus out of the field (the idle timer still sees it).
  ["pointerdown", "mousedown", "contextmenu"].forEach(function (name) {
    keyboard.addEventListener(name, function (event) { event.preventDefault(); });
  });
  keyboard.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (button && field) { press(button); }
  });

  // Open for the focused field, close when focus is anywhere else (after an htmx swap it is
  // on the new heading); a key that got focus after all hands it back to the field.
  function follow() {
    var focused = document.activeElement;
    if (keyboard.contains(focused)) {
      if (field) { field.focus(); }
    } else if (!typeable(focused)) {
      close();
    } else if (focused !== field) {
      open(focused);
    }
  }

  document.addEventListener("focusin", follow);
  document.addEventListener("focusout", function () { window.setTimeout(follow, 0); });
  document.addEventListener("htmx:finally:swap", follow);
  window.addEventListener("resize", place);
  follow();
}());
