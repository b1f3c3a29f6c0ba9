// The invitation form: suggest the username from the email address as it is typed, until someone
// edits the username. The form names its two fields (templates/desk/team/team_invite.html).
(function () {
  "use strict";
  const form = document.querySelector("form[data-username-from]");
  if (!form) return;
  const email = document.getElementById(form.dataset.usernameFrom);
  const username = document.getElementById(form.dataset.usernameField);
  if (!email || !username) return;
  let touched = username.value !== "";
  username.addEventListener("input", function () { touched = username.value !== ""; });
  email.addEventListener("input", function () {
    if (!touched) username.value = email.value.split("@")[0].toLowerCase().replace(/[^\w.+-]/g, "");
  });
})();
