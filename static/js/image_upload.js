// TinyMCE's image uploads in the article editor (settings.TINYMCE_DEFAULT_CONFIG names this
// function as images_upload_handler). The file goes to the server with the CSRF token; the server
// checks, cleans and stores it (desk.views.images) and answers with a rendition's address.
(function () {
  "use strict";
  window.cmsImageUploadHandler = function (blobInfo) {
    return new Promise(function (resolve, reject) {
      const form = document.getElementById("article-form");
      const url = form && form.dataset.imageUploadUrl;
      const token = form && form.querySelector("input[name='csrfmiddlewaretoken']");
      if (!url || !token) {
        reject({ message: "Images can be uploaded from the article editor only.", remove: true });
        return;
      }
      const data = new FormData();
      data.append("file", blobInfo.blob(), blobInfo.filename());
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": token.value } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (json) {
            if (response.ok && json.location) {
              resolve(json.location);
            } else {
              reject({ message: json.error || "The upload failed (" + response.status + ").", remove: true });
            }
          });
        })
        .catch(function () {
          reject({ message: "The upload failed: check the connection and try again.", remove: true });
        });
    });
  };
})();
