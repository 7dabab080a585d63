// Dates typed dd/mm/yyyy (core/dates.py parses them): the slashes come by themselves as the
// digits are typed, and a time after a space for inputs that take one. Works without it.
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.dataset || !input.dataset.dateMask) return;
  if (!event.inputType || event.inputType.indexOf("insert") !== 0) return; // let deletions be
  var value = input.value;
  if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) value += "/";
  if (input.dataset.dateMask === "moment") {
    if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value) && event.data !== "/") value += " ";
    if (/^\d{1,2}\/\d{1,2}\/\d{4} \d{2}$/.test(value)) value += ":";
  }
  value = value.replace(/\/\/+/g, "/");
  if (value !== input.value) input.value = value;
});
