# Issue 8: `run` skipped symbolic links and folders deeper than 8 without
# a word.  A link is not followed and is named on stderr; so is a folder
# too deep to be read (status unchanged: neither is a rejected export).
sample 2013-05
ln -s "$W/input/2013-05/roster.xml" "$W/input/roster-link.xml"
mkdir -p "$W/input/a/b/c/d/e/f/g/h/i"
cp "$W/input/2013-05/brands.xml" "$W/input/a/b/c/d/e/f/g/h/i/brands.xml"
k run --month 2013-05; expect "links and deep folders" 0
expect_err "link named" 'roster-link\.xml: a symbolic link, not followed'
expect_err "deep folder named" 'a/b/c/d/e/f/g/h/i: folder nested deeper than 8 levels, not read'
k import "$W/input/roster-link.xml"; expect "a link named on the command line" 0
expect_out "is followed" 'roster-link\.xml: roster 2013-05; unchanged'
