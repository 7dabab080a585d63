// Small helpers for the counter's pages; everything works without them.
// Reception by keyboard: set when Enter in the ID field asked for the look-up, so that its
// answer moves the focus on (an answer to the typing's own look-up must not steal it).
var lookupByEnter = false;

document.addEventListener("htmx:afterSwap", function (event) {
  // The reception page: fill the applicant's known details into empty fields.
  if (!event.detail.target || event.detail.target.id !== "applicant-found") return;
  var data = document.getElementById("applicant-data");
  if (data) {
    ["name", "phone", "address", "email"].forEach(function (name) {
      var input = document.getElementById("id_" + name);
      if (input && !input.value) input.value = data.dataset[name] || "";
    });
  }
  if (!lookupByEnter) return;
  lookupByEnter = false;
  // A known applicant: on to the first paper not yet ticked; a new one: on to the name.
  var next = data
    ? document.querySelector(".checklist input[type=checkbox]:not(:checked)")
    : document.getElementById("id_name");
  if (next) next.focus();
});

document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key === "Enter" && field.form && field.form.classList.contains("reception")) {
    if (field.id === "id_id_number") {
      // A card reader ends the number with Enter: look the applicant up, do not submit.
      event.preventDefault();
      lookupByEnter = true;
      if (window.htmx) window.htmx.trigger(field, "lookup");
    } else if (field.closest(".applicant-fields") && /^(text|email|tel)$/.test(field.type)) {
      // Enter after the applicant's details: on to the papers (Tab walks the fields).
      event.preventDefault();
      var paper = document.querySelector(".checklist input[type=checkbox]:not(:checked)");
      (paper || document.getElementById("receive-button")).focus();
    } else if (field.tagName === "INPUT" && field.type !== "submit") {
      // Enter elsewhere receives the dossier, as the big button (not the look-up button,
      // the form's first).
      event.preventDefault();
      field.form.requestSubmit(document.getElementById("receive-button"));
    }
    return;
  }
  // The procedure search: arrows walk from the box into the results and along them; Enter
  // on a result opens it (a link's own behaviour).
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  var box = field.dataset && field.dataset.picklist ? field : null;
  var list = box
    ? document.getElementById(box.dataset.picklist)
    : field.closest && field.closest(".picklist");
  if (!list) return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a"));
  if (!links.length) return;
  event.preventDefault();
  var at = links.indexOf(field);
  if (box) {
    if (event.key === "ArrowDown") links[0].focus();
  } else if (event.key === "ArrowDown") {
    links[Math.min(at + 1, links.length - 1)].focus();
  } else if (at > 0) {
    links[at - 1].focus();
  } else {
    var search = document.querySelector("[data-picklist='" + list.id + "']");
    if (search) search.focus();
  }
});

// Scans panel: files dropped on a component's drop zone are uploaded like chosen ones.
["dragover", "dragleave", "drop"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var zone = event.target.closest && event.target.closest(".dropzone");
    if (!zone) return;
    event.preventDefault();
    zone.classList.toggle("dragging", type === "dragover");
    if (type === "drop" && event.dataTransfer.files.length) {
      var input = zone.querySelector("input[type=file]");
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
});

// Reception, reuse panel: a document reused from the applicant's store counts as the paper
// received, so ticking "Tái sử dụng" ticks the component's "Nhận" box too.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.dataset || !box.dataset.paper || !box.checked) return;
  var paper = document.getElementById(box.dataset.paper);
  if (paper) paper.checked = true;
});

// Keyboard shortcuts named on the page: Alt + the letter of an element's data-shortcut clicks
// it (the dossier page after reception: Alt+P prints Mẫu 01). A script rather than accesskey,
// whose modifier differs between browsers and systems.
document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || event.metaKey || !event.key) return;
  var target = document.querySelector("[data-shortcut='" + event.key.toLowerCase() + "']");
  if (!target) return;
  event.preventDefault();
  target.click();
});

// The reception page: the clerk copies what the identity card says into the applicant's
// fields (digitization's card panel); the ID number's own look-ups then run as if typed.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-fill-card]");
  var data = document.getElementById("id-card-data");
  if (!button || !data) return;
  var person = document.querySelector("input[name=kind][value=person]");
  if (person) person.checked = true;
  [
    ["id_id_number", data.dataset.id_number],
    ["id_name", data.dataset.name],
    ["id_address", data.dataset.address],
    ["population_birth_date", data.dataset.birth],
  ].forEach(function (pair) {
    var input = document.getElementById(pair[0]);
    if (!input || !pair[1]) return;
    input.value = pair[1];
    input.classList.add("filled-from-card");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  var file = document.getElementById("id-card-file");
  if (file) file.value = "";
  button.disabled = true;
  button.textContent = "Đã điền — kiểm tra lại từng ô";
  var name = document.getElementById("id_name");
  if (name) name.focus();
});
