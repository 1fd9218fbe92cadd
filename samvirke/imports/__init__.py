"""The import kit: what every import of a spreadsheet into Samvirke shares.

A domain (the member survey, a measure's enrolments and attendance, the catalogue of measures)
declares its columns and its writer; the kit reads the file, guesses the columns, checks the
cells, shows the preview and offers the template file.
"""
