import Foundation

extension Patient {
    /// Reads one 3102 `patient_dtos` record. The strict scanner reads the ordinary record; anything
    /// it does not take goes to Foundation's decoder, so what is accepted and every error message
    /// stay those of the `Codable` definition above.
    public static func read(json bytes: some ContiguousBytes) throws -> Patient {
        try scan(json: bytes).patient
    }

    /// The same, saying whether the strict scanner read the record: its bytes are then in the form
    /// every reader of the platform's own events takes, and may be carried as they were received.
    public static func scan(json bytes: some ContiguousBytes) throws -> (patient: Patient, strict: Bool) {
        if let patient = try? JSONScanner.read(bytes, { try Patient(scanning: &$0) }) { return (patient, true) }
        return (try HISJSON.decoder.decode(Patient.self, from: bytes.withUnsafeBytes { Data($0) }), false)
    }

    /// The record at the scanner's position (see `JSONScanner` for what it refuses).
    public init(scanning json: inout JSONScanner) throws {
        var patnId: String?, gend: String?, brdy: String?, encounters: [Encounter]?
        var patnName: String?, poolarea: String?, currMdtrtId: String?
        try json.object { json, key in
            switch key {
            case CodingKeys.patnId.rawValue: patnId = try json.string()
            case CodingKeys.patnName.rawValue: patnName = try json.optionalString()
            case CodingKeys.gend.rawValue: gend = try json.string()
            case CodingKeys.brdy.rawValue: brdy = try json.string()
            case CodingKeys.poolarea.rawValue: poolarea = try json.optionalString()
            case CodingKeys.currMdtrtId.rawValue: currMdtrtId = try json.optionalString()
            case CodingKeys.fsiEncounterDtos.rawValue: encounters = try json.elements { try Encounter(scanning: &$0) }
            default: try json.skipValue()
            }
        }
        guard let patnId, let gend, let brdy, let encounters else { throw json.mismatch() }
        self.init(patnId: patnId, patnName: patnName, gend: gend, brdy: brdy, poolarea: poolarea, currMdtrtId: currMdtrtId,
                  fsiEncounterDtos: encounters)
    }
}

extension Encounter {
    init(scanning json: inout JSONScanner) throws {
        var mdtrtId: String?, medinsId: String?, medMdtrtType: String?, admDate: String?, dscgDate: String?, medfeeSumamt: Decimal?
        var diagnoses: [Diagnosis]?, orders: [Order]?
        var optional = Encounter(mdtrtId: "", setlId: nil, medinsId: "", medMdtrtType: "", admDate: "", dscgDate: "", dscgMainDiseCodg: nil,
                                 drCodg: nil, medfeeSumamt: 0, fsiDiagnoseDtos: [], fsiOrderDtos: [])
        try json.object { json, key in
            switch key {
            case CodingKeys.mdtrtId.rawValue: mdtrtId = try json.string()
            case CodingKeys.setlId.rawValue: optional.setlId = try json.optionalString()
            case CodingKeys.medinsId.rawValue: medinsId = try json.string()
            case CodingKeys.medinsName.rawValue: optional.medinsName = try json.optionalString()
            case CodingKeys.medinsAdmdvs.rawValue: optional.medinsAdmdvs = try json.optionalString()
            case CodingKeys.medinsType.rawValue: optional.medinsType = try json.optionalString()
            case CodingKeys.medinsLv.rawValue: optional.medinsLv = try json.optionalString()
            case CodingKeys.medMdtrtType.rawValue: medMdtrtType = try json.string()
            case CodingKeys.medType.rawValue: optional.medType = try json.optionalString()
            case CodingKeys.insutype.rawValue: optional.insutype = try json.optionalString()
            case CodingKeys.admDate.rawValue: admDate = try json.string()
            case CodingKeys.dscgDate.rawValue: dscgDate = try json.string()
            case CodingKeys.dscgMainDiseCodg.rawValue: optional.dscgMainDiseCodg = try json.optionalString()
            case CodingKeys.dscgMainDiseName.rawValue: optional.dscgMainDiseName = try json.optionalString()
            case CodingKeys.drCodg.rawValue: optional.drCodg = try json.optionalString()
            case CodingKeys.medfeeSumamt.rawValue: medfeeSumamt = try json.decimal()
            case CodingKeys.fundPaySumamt.rawValue: optional.fundPaySumamt = try json.optionalDecimal()
            case CodingKeys.psnCashPay.rawValue: optional.psnCashPay = try json.optionalDecimal()
            case CodingKeys.fsiDiagnoseDtos.rawValue: diagnoses = try json.elements { try Diagnosis(scanning: &$0) }
            case CodingKeys.fsiOrderDtos.rawValue: orders = try json.elements { try Order(scanning: &$0) }
            case CodingKeys.fsiOperationDtos.rawValue: optional.fsiOperationDtos = json.null() ? nil : try json.elements { try Operation(scanning: &$0) }
            default: try json.skipValue()
            }
        }
        guard let mdtrtId, let medinsId, let medMdtrtType, let admDate, let dscgDate, let medfeeSumamt, let diagnoses, let orders else {
            throw json.mismatch()
        }
        self = optional
        (self.mdtrtId, self.medinsId, self.medMdtrtType, self.admDate, self.dscgDate) = (mdtrtId, medinsId, medMdtrtType, admDate, dscgDate)
        (self.medfeeSumamt, fsiDiagnoseDtos, fsiOrderDtos) = (medfeeSumamt, diagnoses, orders)
    }
}

extension Diagnosis {
    init(scanning json: inout JSONScanner) throws {
        var diseCodg: String?
        var optional = Diagnosis(diseCodg: "")
        try json.object { json, key in
            switch key {
            case CodingKeys.diseId.rawValue: optional.diseId = try json.optionalString()
            case CodingKeys.inoutDiseType.rawValue: optional.inoutDiseType = try json.optionalString()
            case CodingKeys.maindiseFlag.rawValue: optional.maindiseFlag = try json.optionalString()
            case CodingKeys.diasSrtNo.rawValue: optional.diasSrtNo = json.null() ? nil : try FlexibleInt(scanning: &json)
            case CodingKeys.diseCodg.rawValue: diseCodg = try json.string()
            case CodingKeys.diseName.rawValue: optional.diseName = try json.optionalString()
            case CodingKeys.diseDate.rawValue: optional.diseDate = try json.optionalString()
            default: try json.skipValue()
            }
        }
        guard let diseCodg else { throw json.mismatch() }
        self = optional
        self.diseCodg = diseCodg
    }
}

extension Order {
    init(scanning json: inout JSONScanner) throws {
        var rxId: String?, hilistCode: String?, hilistType: String?, feeOcurTime: String?
        var cnt: Decimal?, pric: Decimal?, sumamt: Decimal?
        var hilistName: String?, drordDrCodg: String?, drugTracCodg: [String]?
        try json.object { json, key in
            switch key {
            case CodingKeys.rxId.rawValue: rxId = try json.string()
            case CodingKeys.hilistCode.rawValue: hilistCode = try json.string()
            case CodingKeys.hilistName.rawValue: hilistName = try json.optionalString()
            case CodingKeys.hilistType.rawValue: hilistType = try json.string()
            case CodingKeys.cnt.rawValue: cnt = try json.decimal()
            case CodingKeys.pric.rawValue: pric = try json.decimal()
            case CodingKeys.sumamt.rawValue: sumamt = try json.decimal()
            case CodingKeys.feeOcurTime.rawValue: feeOcurTime = try json.string()
            case CodingKeys.drordDrCodg.rawValue: drordDrCodg = try json.optionalString()
            case CodingKeys.drugTracCodg.rawValue: drugTracCodg = json.null() ? nil : try json.stringArray()
            default: try json.skipValue()
            }
        }
        guard let rxId, let hilistCode, let hilistType, let feeOcurTime, let cnt, let pric, let sumamt else { throw json.mismatch() }
        self.init(rxId: rxId, hilistCode: hilistCode, hilistName: hilistName, hilistType: hilistType, cnt: cnt, pric: pric, sumamt: sumamt,
                  feeOcurTime: feeOcurTime, drordDrCodg: drordDrCodg, drugTracCodg: drugTracCodg)
    }
}

extension Operation {
    init(scanning json: inout JSONScanner) throws {
        var oprnCode: String?, oprnName: String?, mainOprnFlag: String?, oprnDate: String?
        try json.object { json, key in
            switch key {
            case CodingKeys.oprnCode.rawValue: oprnCode = try json.string()
            case CodingKeys.oprnName.rawValue: oprnName = try json.optionalString()
            case CodingKeys.mainOprnFlag.rawValue: mainOprnFlag = try json.optionalString()
            case CodingKeys.oprnDate.rawValue: oprnDate = try json.optionalString()
            default: try json.skipValue()
            }
        }
        guard let oprnCode else { throw json.mismatch() }
        self.init(oprnCode: oprnCode, oprnName: oprnName, mainOprnFlag: mainOprnFlag, oprnDate: oprnDate)
    }
}

extension FlexibleInt {
    /// A whole number, or a string holding one (as the `Codable` reading takes it).
    init(scanning json: inout JSONScanner) throws {
        if let number = try? json.int() { self.init(number); return }
        guard let number = Int(try json.string()) else { throw json.mismatch() }
        self.init(number)
    }
}

extension JSONScanner {
    /// The values of an array, each read by `element`.
    public mutating func elements<T>(_ element: (inout JSONScanner) throws -> T) throws -> [T] {
        var values: [T] = []
        try array { values.append(try element(&$0)) }
        return values
    }
}

extension HISRequest where Input == ReviewInput {
    /// Reads a 3101/3102 call: the scanner for the ordinary call, Foundation's decoder (and its
    /// field-level errors) for anything else.
    public static func read(json bytes: some ContiguousBytes) throws -> HISRequest<ReviewInput> {
        try scan(json: bytes).request
    }

    /// The same, with where each `patient_dtos` record lies in `bytes` when the strict scanner read
    /// the call (nil otherwise): such a record is in the form the platform's events carry, and may
    /// be stored and published as received, as a bulk line is.
    public static func scan(json bytes: some ContiguousBytes) throws -> (request: HISRequest<ReviewInput>, records: [Range<Int>]?) {
        var records: [Range<Int>] = []
        if let request = try? JSONScanner.read(bytes, { try HISRequest(scanning: &$0, records: &records) }) { return (request, records) }
        return (try HISJSON.decoder.decode(HISRequest<ReviewInput>.self, from: bytes.withUnsafeBytes { Data($0) }), nil)
    }

    init(scanning json: inout JSONScanner, records: inout [Range<Int>]) throws {
        var infno: String?, msgid: String?, fixmedinsCode: String?, input: ReviewInput?
        var optional: [CodingKeys: String] = [:]
        try json.object { json, key in
            switch CodingKeys(rawValue: key) {
            case .infno: infno = try json.string()
            case .msgid: msgid = try json.string()
            case .fixmedinsCode: fixmedinsCode = try json.string()
            case .input: input = try ReviewInput(scanning: &json, records: &records)
            case let other?: optional[other] = try json.optionalString()
            case nil: try json.skipValue()
            }
        }
        guard let infno, let msgid, let fixmedinsCode, let input else { throw json.mismatch() }
        self.init(infno: infno, msgid: msgid, fixmedinsCode: fixmedinsCode, input: input)
        (fixmedinsName, insuplcAdmdvs, mdtrtareaAdmvs, infver) = (optional[.fixmedinsName], optional[.insuplcAdmdvs], optional[.mdtrtareaAdmvs], optional[.infver])
        (opterType, opter, opterName, infTime) = (optional[.opterType], optional[.opter], optional[.opterName], optional[.infTime])
    }
}

extension ReviewInput {
    init(scanning json: inout JSONScanner, records: inout [Range<Int>]) throws {
        var data: ReviewRequest?
        try json.object { json, key in
            if key == CodingKeys.data.rawValue { data = try ReviewRequest(scanning: &json, records: &records) } else { try json.skipValue() }
        }
        guard let data else { throw json.mismatch() }
        self.init(data: data)
    }
}

extension ReviewRequest {
    init(scanning json: inout JSONScanner, records: inout [Range<Int>]) throws {
        var trigScen: FlexibleInt?, ruleIds: [String]?, taskId: String?, patients: [Patient]?
        try json.object { json, key in
            switch key {
            case CodingKeys.trigScen.rawValue: trigScen = try FlexibleInt(scanning: &json)
            case CodingKeys.ruleIds.rawValue: ruleIds = json.null() ? nil : try json.stringArray()
            case CodingKeys.taskId.rawValue: taskId = try json.optionalString()
            case CodingKeys.patientDtos.rawValue:
                records = []
                patients = try json.elements { json in
                    let (patient, bytes) = try json.span { try Patient(scanning: &$0) }
                    records.append(bytes)
                    return patient
                }
            default: try json.skipValue()
            }
        }
        guard let trigScen, let patients else { throw json.mismatch() }
        self.init(trigScen: trigScen.value, ruleIds: ruleIds, taskId: taskId, patientDtos: patients)
    }
}
