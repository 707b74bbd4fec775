import Foundation

/// A photograph of what an audit found: a JPEG or PNG of at most 10 MB, described in words for those who
/// cannot see it. What the file says about itself (camera, owner, GPS position, time, comments) is removed
/// before it is kept: a walkabout's photos are published with its report, their metadata never is.
public enum FindingPhoto {
    public static let maximumBytes = 10 * 1024 * 1024
    public static let maximumDescription = 300
    /// What a browser or the PDF renderer will decode: a small file can claim a picture of billions of pixels.
    public static let maximumPixels = 60_000_000
    public static let longestSide = 16_384

    public enum Format: String, Sendable, Codable {
        case jpeg = "image/jpeg"
        case png = "image/png"
    }

    /// The photo as it will be kept, or `WellplanError.invalid` naming what is wrong with it and its description.
    public static func checked(_ data: Data, descriptionEn: String?) throws -> (data: Data, format: Format) {
        var problems: [FieldProblem] = []
        let description = descriptionEn?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if description.isEmpty { problems.append(FieldProblem("descriptionEn", "error_required")) }
        if description.count > maximumDescription {
            problems.append(FieldProblem("descriptionEn", "error_too_long", [String(maximumDescription)]))
        }
        var kept: (Data, Format)?
        if data.isEmpty {
            problems.append(FieldProblem("file", "error_required"))
        } else if data.count > maximumBytes {
            problems.append(FieldProblem("file", "error_file_too_large", ["10 MB"]))
        } else if let format = format(of: data), let size = dimensions(of: Array(data), format),
            size.width * size.height > maximumPixels || max(size.width, size.height) > longestSide
        {
            let values = [
                String(size.width), String(size.height), String(maximumPixels / 1_000_000), String(longestSide),
            ]
            problems.append(FieldProblem("file", "error_image_pixels", values))
        } else if let format = format(of: data), let clean = withoutMetadata(data, format) {
            kept = (clean, format)
        } else {
            problems.append(FieldProblem("file", "error_not_image"))
        }
        guard problems.isEmpty, let kept else { throw WellplanError.invalid(problems) }
        return kept
    }

    public static func format(of data: Data) -> Format? {
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if data.starts(with: pngSignature) { return .png }
        return nil
    }

    /// The same picture without its metadata, or nil when the file is not well formed.
    public static func withoutMetadata(_ data: Data, _ format: Format) -> Data? {
        switch format {
        case .jpeg: JPEGSegments.withoutMetadata(Array(data)).map { Data($0) }
        case .png: PNGChunks.withoutMetadata(Array(data)).map { Data($0) }
        }
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The width and height the file declares (a PNG's header chunk, a JPEG's start of frame), read without
    /// decoding anything; nil when it declares none.
    static func dimensions(of bytes: [UInt8], _ format: Format) -> (width: Int, height: Int)? {
        func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        switch format {
        case .png:
            guard bytes.count >= 24, String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { return nil }
            return (u16(16) << 16 | u16(18), u16(20) << 16 | u16(22))
        case .jpeg:
            var i = 2
            while i + 9 <= bytes.count, bytes[i] == 0xFF {
                let marker = bytes[i + 1]
                if marker == 0xFF {
                    i += 1
                    continue
                }
                // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    return (u16(i + 7), u16(i + 5))
                }
                if marker == 0xDA { return nil }
                i += 2 + u16(i + 2)
            }
            return nil
        }
    }
}

/// A JPEG is a run of marked segments up to the start of the scan, then the compressed picture.
enum JPEGSegments {
    /// Keeps the picture and what draws it (JFIF, colour profile, Adobe colour transform); drops EXIF and XMP
    /// (APP1), other application segments and comments. A phone's sideways photo stays upright: its EXIF
    /// orientation is carried over, alone, into a minimal EXIF segment.
    static func withoutMetadata(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var out: [UInt8] = [0xFF, 0xD8]
        var orientation: UInt16?
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { return nil }
            let marker = bytes[i + 1]
            if marker == 0xFF {  // fill byte
                i += 1
                continue
            }
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2, i + 2 + length <= bytes.count else { return nil }
            let segment = bytes[i..<(i + 2 + length)]
            switch marker {
            case 0xDA:
                // start of scan: the picture itself, to its end (a trailer after it, such as a motion photo's video, is dropped)
                guard let end = (i..<(bytes.count - 1)).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xD9 })
                else { return nil }
                if let orientation, orientation != 1 { out += exif(orientation: orientation) }
                return out + bytes[i...(end + 1)]
            case 0xE1:
                orientation = orientation ?? exifOrientation(Array(segment.dropFirst(4)))
            case 0xE0, 0xE2, 0xEE, 0xC0...0xCF, 0xDB...0xDF:
                out += segment
            default:  // APP3–APP13, APP15, comments
                break
            }
            i += 2 + length
        }
        return nil
    }

    /// The orientation tag (0x0112) of an EXIF segment's first image directory.
    static func exifOrientation(_ payload: [UInt8]) -> UInt16? {
        guard payload.count > 14, payload.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        let tiff = Array(payload.dropFirst(6))
        let big = tiff[0] == 0x4D
        func u16(_ at: Int) -> Int? {
            guard at + 2 <= tiff.count else { return nil }
            return big ? Int(tiff[at]) << 8 | Int(tiff[at + 1]) : Int(tiff[at + 1]) << 8 | Int(tiff[at])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(big ? at : at + 2), let low = u16(big ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard let directory = u32(4), let count = u16(directory) else { return nil }
        for entry in 0..<count {
            let at = directory + 2 + entry * 12
            if u16(at) == 0x0112, let value = u16(at + 8), (1...8).contains(value) { return UInt16(value) }
        }
        return nil
    }

    /// An EXIF segment holding only the orientation, big-endian.
    static func exif(orientation: UInt16) -> [UInt8] {
        let tiff: [UInt8] =
            [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]  // header, first directory at 8
            + [0, 1]  // one entry
            // orientation, SHORT × 1
            + [0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0, 0]
            + [0, 0, 0, 0]  // no next directory
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }
}

/// A PNG is its signature, then chunks of length, type, data and checksum.
enum PNGChunks {
    /// Drops the text chunks, EXIF and the modification time; keeps everything that draws the picture.
    static func withoutMetadata(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.starts(with: FindingPhoto.pngSignature) else { return nil }
        var out = FindingPhoto.pngSignature
        var i = 8
        while i + 12 <= bytes.count {
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 0, i + 12 + length <= bytes.count else { return nil }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            if !["tEXt", "zTXt", "iTXt", "eXIf", "tIME"].contains(type) { out += bytes[i..<(i + 12 + length)] }
            i += 12 + length
            if type == "IEND" { return out }
        }
        return nil
    }
}
