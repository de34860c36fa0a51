/* Material 9.8.2's partials/javascripts/content.html, out of line (see overrides/partials/javascripts/). */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
