#!/bin/sh
# $BROWSER / xdg-open for real clients against real authorization servers:
# hands the URL to form-browser.js (which logs in) and returns at once, as
# a desktop's browser launcher does.
here=$(dirname "$(readlink -f "$0")")
( sleep "${FAKE_BROWSER_DELAY:-0.3}"; exec node "$here/form-browser.js" "$1" ) >/dev/null 2>&1 &
exit 0
