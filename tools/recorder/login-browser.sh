#!/bin/sh
# $BROWSER / xdg-open for real clients against authorization servers whose
# login page is a script: hands the URL to login-browser.js (which logs in
# with $LOGIN_COMMAND) and returns at once, as a desktop's browser launcher does.
here=$(dirname "$(readlink -f "$0")")
( sleep "${FAKE_BROWSER_DELAY:-0.3}"; exec node "$here/login-browser.js" "$1" ) >/dev/null 2>&1 &
exit 0
