import Foundation

extension String {
    /// The text without white space at either end (and line breaks too, with `lineBreaks`). Most text has
    /// none and is given back as it is, unbridged: Foundation's trim turns every string into an `NSString`,
    /// which was a sixth of a survey import and half of reading a situation table's released quarters. Text
    /// that starts and ends with a printable ASCII character asks no character set at all (asking one for
    /// each field was 4 % of an import of a million figures).
    public func trimmed(lineBreaks: Bool = false) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        let printable = Unicode.Scalar(0x21)...Unicode.Scalar(0x7E)
        if printable.contains(first) && printable.contains(last) { return self }
        let characters: CharacterSet = lineBreaks ? .whitespacesAndNewlines : .whitespaces
        guard characters.contains(first) || characters.contains(last) else { return self }
        return trimmingCharacters(in: characters)
    }
}
