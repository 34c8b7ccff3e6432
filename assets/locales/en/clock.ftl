clock-jump-title = What year is it?
clock-jump-text = The computer's clock says { $clock }, but the annual counts reach { $counted }. If the clock is right, cases and projects still open also count in the years up to { $clock }. If the clock is wrong (battery, settings), correct it: the counts stay at { $counted }.
clock-jump-yes = Yes, it is { $clock }
clock-jump-no = No, the clock is wrong
clock-jump-done = Counted year moved to { $clock }.
