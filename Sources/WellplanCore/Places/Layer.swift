import Foundation

/// A set of areas that cover a region one way: neighbourhoods, wards, catchments, CPTED sites. Its areas
/// come from a GeoJSON file; every located incident is assigned to its area in every layer.
public struct Layer: Record {
    public static let kind = RecordKind.layer
    public static let fields: [RecordField] = [
        .init("nameEn", .text(maxLength: 200), required: true),
        .init("nameFr", .text(maxLength: 200)),
        .init("layerKind", .choice(.layerKinds), required: true),
        .init("source", .text(maxLength: 500)),
    ]
    public var id: UUID
    public var nameEn: String
    public var nameFr: String?
    public var layerKind: String
    public var source: String?

    public init(id: UUID = UUID(), nameEn: String, nameFr: String? = nil, layerKind: String, source: String? = nil) {
        (self.id, self.nameEn, self.nameFr, self.layerKind, self.source) = (id, nameEn, nameFr, layerKind, source)
    }
}
