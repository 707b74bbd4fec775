import Foundation

extension String {
    /// The text without `characters` (white space) at either end. Most text has none and is given back as
    /// it is, unbridged: Foundation's trim turns every string into an `NSString`, which was a sixth of a
    /// survey import and half of reading a situation table's released quarters.
    public func trimmed(_ characters: CharacterSet = .whitespaces) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
            characters.contains(first) || characters.contains(last)
        else { return self }
        return trimmingCharacters(in: characters)
    }
}
