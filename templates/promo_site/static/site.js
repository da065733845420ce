/* Promo site script: the registration form and the winners list.
 * Progressive: without it the form posts as a plain form and the winners
 * page shows the draw schedule. All texts come from data-msg-* attributes
 * of the page, so this file holds no wording. */
(function () {
  "use strict";

  function fieldError(form, name) {
    return form.querySelector('[data-error-for="' + name + '"]');
  }

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (el) {
      el.textContent = "";
      el.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showError(form, name, message) {
    var el = fieldError(form, name);
    var input = form.elements.namedItem(name);
    if (!el) {
      return false;
    }
    el.textContent = message;
    el.hidden = false;
    if (input && input.setAttribute) {
      input.setAttribute("aria-invalid", "true");
    }
    return true;
  }

  function setStatus(form, kind, message) {
    var status = form.querySelector(".form-status");
    status.className = "form-status" + (kind ? " form-status-" + kind : "");
    status.textContent = message;
  }

  function focusFirstInvalid(form) {
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus();
    }
  }

  /* Checkboxes become booleans, everything else stays a string. */
  function asJson(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) {
        return;
      }
      if (el.type === "checkbox") {
        body[el.name] = el.checked;
      } else if (el.type !== "file" && el.type !== "submit") {
        body[el.name] = el.value.trim();
      }
    });
    return JSON.stringify(body);
  }

  function hasFile(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      return el.type === "file" && el.files && el.files.length > 0;
    });
  }

  function missingOneOf(form) {
    var group = form.querySelector("[data-one-of]");
    if (!group) {
      return null;
    }
    var names = group.getAttribute("data-one-of").split(" ");
    var filled = names.some(function (name) {
      var el = form.elements.namedItem(name);
      return el && (el.type === "file" ? el.files.length > 0 : el.value.trim() !== "");
    });
    return filled ? null : names[0];
  }

  function readJson(response) {
    return response.json().catch(function () {
      return {};
    });
  }

  function submit(form, event) {
    event.preventDefault();
    var msg = form.dataset;
    clearErrors(form);
    var missing = missingOneOf(form);
    if (missing) {
      showError(form, missing, msg.msgOneOf);
      setStatus(form, "error", msg.msgInvalid);
      focusFirstInvalid(form);
      return;
    }
    var button = form.querySelector('[type="submit"]');
    var multipart = hasFile(form);
    var init = {
      method: "POST",
      headers: { Accept: "application/json" },
      body: multipart ? new FormData(form) : asJson(form),
    };
    if (!multipart) {
      init.headers["Content-Type"] = "application/json";
    }
    button.disabled = true;
    setStatus(form, "", msg.msgSending);
    fetch(form.action, init)
      .then(function (response) {
        return readJson(response).then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        var data = result.data || {};
        if (result.status === 201 || result.status === 200) {
          form.reset();
          setStatus(form, "ok", data.message || msg.msgSent);
        } else if (result.status === 422) {
          var errors = data.errors || {};
          var unplaced = [];
          Object.keys(errors).forEach(function (name) {
            if (!showError(form, name, errors[name])) {
              unplaced.push(errors[name]);
            }
          });
          setStatus(form, "error", unplaced.length ? unplaced.join(" ") : msg.msgInvalid);
          focusFirstInvalid(form);
        } else if (result.status === 409) {
          setStatus(form, "error", data.message || msg.msgDuplicate);
        } else if (result.status === 429) {
          setStatus(form, "error", data.message || msg.msgLimited);
        } else {
          setStatus(form, "error", data.message || msg.msgFailed);
        }
      })
      .catch(function () {
        setStatus(form, "error", msg.msgFailed);
      })
      .then(function () {
        button.disabled = false;
      });
  }

  function item(text) {
    var li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function loadWinners(root) {
    var status = root.querySelector(".winners-status");
    fetch(root.dataset.winnersSrc, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var winners = (data && data.winners) || [];
        if (!winners.length) {
          status.textContent = root.dataset.msgNone;
          return;
        }
        var other = root.querySelector('[data-draw=""]');
        winners.forEach(function (w) {
          var section = null;
          root.querySelectorAll("[data-draw]").forEach(function (s) {
            if (w.draw && s.getAttribute("data-draw") === w.draw) {
              section = s;
            }
          });
          section = section || other;
          section.hidden = false;
          section.querySelector(".winners-list").appendChild(item(w.prize + " — " + w.winner));
        });
        status.textContent = "";
      })
      .catch(function () {
        status.textContent = root.dataset.msgFailed;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.reg-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        submit(form, event);
      });
    });
    // An attribute, not an id: embedded documents (the rules) may use id="winners".
    var winners = document.querySelector("[data-winners-src]");
    if (winners && window.fetch) {
      loadWinners(winners);
    }
  });
})();
