// allauth's webauthn.js reports a refused or cancelled ceremony as an "allauth.error" event:
// say so on the page (templates/mfa/webauthn/scripts.html) instead of only in the console.
document.addEventListener('allauth.error', function (event) {
  const box = document.getElementById('webauthn-error')
  if (box) {
    box.classList.remove('d-none')
    event.preventDefault()
  }
})
