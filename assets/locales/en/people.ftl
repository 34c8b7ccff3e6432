people-new = New person
people-new-hint = Register a person (with what is typed in the search)
people-search-hint = Surname, name or tax code
people-count = { $shown ->
    [one] 1 person
   *[other] { $shown } people
} of { $total }
people-col-surname = Surname
people-col-name = Name
people-col-birth = Born
people-col-cf = Tax code
people-col-phone = Phone
people-col-municipio = Municipio
people-col-household = Household
