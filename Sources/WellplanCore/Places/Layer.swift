import Foundation

/// A set of areas that cover a region one way: neighbourhoods, wards, catchments, CPTED sites. Its areas
/// come from a GeoJSON file; every located incident is assigned to its area in every layer.
public struct Layer: Record {
    public static let kind = RecordKind.layer
    public static let path = "layers"
    public static var listOrder: [PartialKeyPath<Layer>] { [\.layerKind, \.nameEn] }
    public static let blank = Layer(id: .none, nameEn: "", layerKind: "")
    public static let fields: [Field<Layer>] = [
        .text(\.nameEn, max: 200),
        .text(\.nameFr, max: 200),
        .choice(\.layerKind, .layerKinds),
        .text(\.source, max: 500),
    ]
    public var id: UUID
    public var nameEn: String
    public var nameFr: String?
    public var layerKind: String
    public var source: String?

    public init(id: UUID = UUID(), nameEn: String, nameFr: String? = nil, layerKind: String, source: String? = nil) {
        self.id = id
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.layerKind = layerKind
        self.source = source
    }
}
