merge-title = Merge another desk's data
merge-explain = Brings the data of a backup made on another workstation into this database: new records are added, changes made on one side only are taken, the same field changed differently on both sides is decided below. The catalogue is matched by code.
merge-start = Merge another desk's data…
merge-dialog = The other desk's backup
merge-waiting-dialog = Waiting for the file to be chosen…
merge-passphrase = Passphrase
merge-encrypted-needs = The backup is encrypted: enter its passphrase.
merge-passphrase-empty = Enter the passphrase.
merge-open = Open
merge-cancel = Cancel
merge-reading = Reading and comparing…
merge-writing = Merging…
merge-preview = Merge preview (nothing written yet)
merge-from = Data of { $desk }, backup of { $when }
merge-kind = Kind of record
merge-added = Added
merge-updated = Updated
merge-conflicting = In conflict
merge-unchanged = Same
merge-catalogue-matched = Catalogue entries matched by code: { $n }
merge-people-merged = Person merges made at the other desk to apply: { $n }
merge-nothing = This database already has all this data: nothing to merge.
merge-conflicts-title = Conflicts: the same field changed differently at the two desks
merge-conflicts-left = { $n ->
    [one] 1 conflict left to decide.
   *[other] { $n } conflicts left to decide.
}
merge-record = Record
merge-field = Field
merge-here = This desk
merge-there = Other desk
merge-choice = Choice
merge-keep-here = Keep this
merge-take-there = Take the other
merge-keep-both = Keep both
merge-all-here = All: keep this
merge-all-there = All: take the other
merge-go = Merge now
merge-done = Merge done: { $added } records added, { $updated } updated.
merge-duplicates-found = { $n ->
    [one] 1 possible duplicate: the same person registered at both desks (see Possible duplicates).
   *[other] { $n } possible duplicates: the same person registered at both desks (see Possible duplicates).
}
merge-failed = Merge not done: { $why }
dup-title = Possible duplicates
dup-explain = Pairs of people who may be the same person: same codice fiscale, similar names and the same birth date.
dup-search = Look for possible duplicates
dup-none = No possible duplicates.
dup-first = First person
dup-second = Second person
dup-score = Likeness
dup-reasons = Why
dup-merge = Merge…
dup-recent = Recent merges (can be undone until the next merge with another desk)
dup-undo = Undo the merge of { $name }
dup-undone = Merge undone: both people are back as they were.
pm-title = Merge two people
pm-explain = Choose, field by field, what the person who stays keeps. Contacts, cases, projects, referrals, attendances and household of the other move to the person who stays; the other id stays as an alias.
pm-keep = Stays
pm-other = Merged
pm-field = Field
pm-same = The other fields are the same.
pm-linked = Records of the other person that move to the person who stays: { $n }
pm-go = Merge the two people
pm-close = Close
pm-done = People merged: { $n } records moved.
pm-swap = Swap who stays
dup-needs-permission = Merging people and seeing possible duplicates needs the «registry» and «log» permissions (as erasure does).
