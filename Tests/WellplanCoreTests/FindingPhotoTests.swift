import Foundation
import Testing

@testable import WellplanCore

/// Photos of findings are kept without what the file says about itself; the picture stays as it was.
@Suite struct FindingPhotoTests {
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// A little-endian EXIF directory with the orientation and the photographer's name.
    static func exif(orientation: UInt8) -> [UInt8] {
        let tiff: [UInt8] =
            [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0] + [2, 0]
            + [0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]  // orientation
            + [0x3B, 0x01, 2, 0, 9, 0, 0, 0, 38, 0, 0, 0]  // artist, 9 characters at offset 38
            + [0, 0, 0, 0] + Array("Jane Doe\0".utf8)
        return Array("Exif".utf8) + [0, 0] + tiff
    }

    static let app0 = segment(0xE0, Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
    static let tables =
        segment(0xDB, [0] + Array(repeating: 1, count: 64)) + segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])
        + segment(0xC4, [0] + [1] + Array(repeating: 0, count: 15) + [0])
    static let scan = segment(0xDA, [1, 1, 0, 0, 0x3F, 0]) + [0x12, 0xFF, 0x00, 0x34] + [0xFF, 0xD9]

    func jpeg(orientation: UInt8) -> [UInt8] {
        [0xFF, 0xD8] + Self.app0 + Self.segment(0xE1, Self.exif(orientation: orientation))
            + Self.segment(0xFE, Array("Taken at 12 Elm Street".utf8)) + Self.tables + Self.scan
            + Array("MotionPhoto video".utf8)
    }

    @Test func aJPEGLosesItsMetadataCommentsAndTrailerButKeepsItsPictureAndOrientation() throws {
        let (kept, format) = try FindingPhoto.checked(
            Data(jpeg(orientation: 6)), descriptionEn: "Unlit lane behind the arena")
        #expect(format == .jpeg)
        let expected = [0xFF, 0xD8] + Self.app0 + Self.tables + JPEGSegments.exif(orientation: 6) + Self.scan
        #expect(Array(kept) == expected)
        for words in ["Jane Doe", "Elm Street", "MotionPhoto"] {
            #expect(kept.range(of: Data(words.utf8)) == nil, "\(words)")
        }
        let app1 = try #require(Array(kept).firstRange(of: [0xFF, 0xE1]))
        #expect(JPEGSegments.exifOrientation(Array(kept[(app1.upperBound + 2)...])) == 6)
    }

    @Test func anUprightJPEGKeepsNoEXIFAtAll() throws {
        let (kept, _) = try FindingPhoto.checked(Data(jpeg(orientation: 1)), descriptionEn: "Overgrown hedge")
        #expect(Array(kept) == [0xFF, 0xD8] + Self.app0 + Self.tables + Self.scan)
    }

    @Test func aPNGLosesItsTextAndTimeChunks() throws {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            [0, 0, 0, UInt8(data.count)] + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        let header = chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), pixels = chunk("IDAT", [1, 2, 3]),
            end = chunk("IEND", [])
        let png =
            FindingPhoto.pngSignature + header + chunk("tEXt", Array("Author\0Jane Doe".utf8))
            + chunk("tIME", [7, 233, 1, 1, 0, 0, 0]) + pixels + end
        let (kept, format) = try FindingPhoto.checked(Data(png), descriptionEn: "Graffiti on the underpass")
        #expect(format == .png && Array(kept) == FindingPhoto.pngSignature + header + pixels + end)
    }

    /// A few hundred bytes can declare a picture that takes gigabytes to draw: the declared size is read, not decoded.
    @Test func aPictureThatDeclaresTooManyPixelsIsRefused() throws {
        func png(_ width: UInt32, _ height: UInt32) -> [UInt8] {
            func be(_ n: UInt32) -> [UInt8] {
                [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            }
            let header = [0, 0, 0, 13] + Array("IHDR".utf8) + be(width) + be(height) + [8, 2, 0, 0, 0] + [0, 0, 0, 0]
            return FindingPhoto.pngSignature + header + [0, 0, 0, 0] + Array("IEND".utf8) + [0, 0, 0, 0]
        }
        func jpeg(_ width: Int, _ height: Int) -> [UInt8] {
            let frame = Self.segment(
                0xC2,
                [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 1, 1, 0x11, 0])
            return [0xFF, 0xD8] + Self.app0 + frame + Self.scan
        }
        func refused(_ bytes: [UInt8]) -> Bool {
            do {
                _ = try FindingPhoto.checked(Data(bytes), descriptionEn: "Lane")
                return false
            } catch WellplanError.invalid(let problems) {
                return problems.map(\.messageKey) == ["error_image_pixels"]
            } catch {
                return false
            }
        }
        #expect(refused(png(100_000, 100_000)) && refused(png(20_000, 10)) && refused(png(9_000, 9_000)))
        #expect(refused(jpeg(20_000, 20_000)) && refused(jpeg(65_535, 10)))
        #expect(FindingPhoto.dimensions(of: jpeg(4_000, 3_000), .jpeg)! == (4_000, 3_000))
        #expect(FindingPhoto.dimensions(of: png(8_000, 6_000), .png)! == (8_000, 6_000))
        #expect(!refused(jpeg(8_000, 6_000)))
    }

    @Test func whatIsNotAPictureOrHasNoDescriptionIsRefusedByField() {
        func problems(_ data: [UInt8], _ description: String?) -> [FieldProblem] {
            do {
                _ = try FindingPhoto.checked(Data(data), descriptionEn: description)
                return []
            } catch WellplanError.invalid(let problems) {
                return problems
            } catch {
                return [FieldProblem("unexpected", "\(error)")]
            }
        }
        #expect(problems(Array("%PDF-1.4".utf8), "A lane") == [FieldProblem("file", "error_not_image")])
        #expect(problems(Array(jpeg(orientation: 1).prefix(60)), "A lane") == [FieldProblem("file", "error_not_image")])
        #expect(problems(jpeg(orientation: 1), "  ") == [FieldProblem("descriptionEn", "error_required")])
        #expect(
            problems([], nil) == [
                FieldProblem("descriptionEn", "error_required"), FieldProblem("file", "error_required"),
            ])
        #expect(
            problems(jpeg(orientation: 1), String(repeating: "a", count: 301)) == [
                FieldProblem("descriptionEn", "error_too_long", ["300"])
            ])
    }
}
