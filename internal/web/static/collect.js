// Collection forms (一标三实): member rows added and removed on the phone,
// the ID number checked once it is whole, an X key for numeric keyboards,
// the phone's GPS position (WGS-84), photos shrunk to the upload limit, and
// the passport fields shown only for passports. Without JavaScript the
// forms still work: the server checks everything and adds rows itself.
(function () {
  "use strict";

  var MAX_PHOTO = 2 * 1024 * 1024;

  // idLength counts the characters of an ID number as the server reads it.
  function idLength(value) {
    return value.replace(/[\s\u3000]/g, "").length;
  }

  // checkID asks the server what an ID number says — birth date and sex,
  // or what is wrong — and shows the answer under the field. Only this
  // field's number goes, with the form's document kind.
  function checkID(input) {
    if (input.getAttribute("data-checked") === input.value) return;
    input.setAttribute("data-checked", input.value);
    var out = document.getElementById(input.getAttribute("aria-describedby"));
    var body = new URLSearchParams();
    body.set("id_number", input.value);
    var kind = input.form && input.form.querySelector("[data-doc-kind]");
    if (kind) body.set("doc_kind", kind.value);
    fetch(input.getAttribute("data-check"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (input.getAttribute("data-checked") !== input.value || !out) return;
        out.innerHTML = html;
        if (html.indexOf("field-error") >= 0) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      })
      .catch(function () { input.removeAttribute("data-checked"); });
  }

  // A number is checked once it is whole, and when the field is left.
  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("[data-check]")) return;
    var n = idLength(input.value);
    if (n === 18 || n === 15 || n === 0) checkID(input);
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-check]")) checkID(e.target);
  });

  document.addEventListener("click", function (e) {
    var x = e.target.closest("[data-append-x]");
    if (x) {
      var input = document.getElementById(x.getAttribute("data-append-x"));
      if (input && !/[xX]$/.test(input.value)) {
        input.value += "X";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (input) input.focus();
      return;
    }
    var add = e.target.closest("[data-add-member]");
    if (add) {
      e.preventDefault();
      addMember();
      return;
    }
    var remove = e.target.closest("[data-remove-member]");
    if (remove) {
      e.preventDefault();
      var row = remove.closest("[data-member]");
      if (row && document.querySelectorAll("[data-member]").length > 1) row.remove();
      return;
    }
    var locate = e.target.closest("[data-locate]");
    if (locate) {
      e.preventDefault();
      findMe(locate);
    }
  });

  // addMember clones the row template with the next free index.
  function addMember() {
    var tpl = document.getElementById("member-template");
    var list = document.getElementById("members");
    if (!tpl || !list) return;
    var rows = list.querySelectorAll("[data-member]");
    var i = 0;
    rows.forEach(function (r) { i = Math.max(i, Number(r.getAttribute("data-member")) + 1); });
    var html = tpl.innerHTML.split("__i__").join(String(i)).split("__n__").join(String(rows.length + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    var relation = row.querySelector("select[name=relation]");
    if (relation && rows.length === 1) relation.value = "spouse";
    list.appendChild(row);
    var first = row.querySelector("input[name=name]");
    if (first) first.focus();
  }

  // findMe reads the phone's position into the form's lng and lat, in
  // WGS-84, the datum of GPS.
  function findMe(button) {
    var form = button.closest("form");
    var out = document.getElementById(button.getAttribute("data-locate"));
    if (!navigator.geolocation) {
      if (out) out.textContent = out.getAttribute("data-unavailable");
      return;
    }
    if (out) out.textContent = out.getAttribute("data-waiting");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      var datum = form.querySelector("[name=datum]");
      if (datum) datum.value = "WGS-84";
      if (out) out.textContent = out.getAttribute("data-found")
        .replace("%s", pos.coords.longitude.toFixed(6) + ", " + pos.coords.latitude.toFixed(6))
        .replace("%d", String(Math.round(pos.coords.accuracy)));
    }, function () {
      if (out) out.textContent = out.getAttribute("data-unavailable");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // Passport fields show only for a passport.
  function showPassport(select) {
    var kind = select.value;
    document.querySelectorAll("[data-passport-only]").forEach(function (el) {
      el.hidden = kind !== "passport";
    });
    document.querySelectorAll("[data-check]").forEach(function (el) {
      el.inputMode = kind === "passport" ? "text" : "numeric";
    });
    document.querySelectorAll("[data-append-x]").forEach(function (el) {
      el.hidden = kind === "passport";
    });
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-doc-kind]")) {
      showPassport(t);
      var id = t.form && t.form.querySelector("[data-check]");
      if (id && id.value) {
        id.removeAttribute("data-checked");
        checkID(id);
      }
    }
    if (t.matches && t.matches("input[type=file][data-shrink]")) shrink(t);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-doc-kind]").forEach(showPassport);
  });

  // shrink redraws a photo over the upload limit as a smaller JPEG, since
  // a phone's camera takes larger ones.
  function shrink(input) {
    var file = input.files && input.files[0];
    if (!file || file.size <= MAX_PHOTO || !window.createImageBitmap || !window.DataTransfer) return;
    createImageBitmap(file).then(function (img) {
      var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob) return;
        var dt = new DataTransfer();
        dt.items.add(new File([blob], "photo.jpg", { type: "image/jpeg" }));
        input.files = dt.files;
      }, "image/jpeg", 0.82);
    });
  }
})();
