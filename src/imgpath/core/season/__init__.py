"""The application season as a domain: records (applications, letters, documents, rotations,
rotation slots, rank-list entries) and their rules, pure and tested without HTTP.

``records`` reads and validates what people type; ``rank_list`` holds NRMP's limits, the
supplemental lists and the list's edits; ``letters`` ERAS's per-program limit (from the rule
packs); ``usce`` the months of US clinical experience against programs' asks; ``timeline`` the
dated items and the calendar file; ``cohort`` the advisor's table; ``applications_csv`` the
spreadsheet import and export.  ``imgpath.services.workspace.season`` authorizes, loads, calls
these and saves.
"""
