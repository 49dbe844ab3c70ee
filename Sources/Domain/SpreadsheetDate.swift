/// A date as a workbook stores it: the number of days since 1899-12-30
/// (Excel's 1900 date system; 25569 is 1970-01-01). Written by the workbook
/// writer and read back by the import.
extension Day {
    /// The day of a serial number; nil outside 1900-01-01 … 9999-12-31.
    public init?(spreadsheetSerial serial: Int) {
        guard (2...2_958_465).contains(serial) else { return nil }
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        let days = serial - 25_569 + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The serial number a workbook stores for this day.
    public var spreadsheetSerial: Int {
        let year = month <= 2 ? self.year - 1 : self.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 + 25_569
    }
}
