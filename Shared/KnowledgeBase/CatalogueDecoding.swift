import Foundation

/// Builds the catalogue value types from CSV tables, column by column.
enum CatalogueDecoding {
    static func drugs(_ table: CSVTable) throws -> [String: Drug] {
        var r = try RowReader(table: table, required: ["med_list_codg", "name", "atc", "unit", "price_cap", "sex_limit",
                                                       "min_age_years", "max_age_years", "max_days_outpatient", "packs_per_day",
                                                       "indications", "min_hosp_level", "inpatient_only", "list_class", "trace_prefix", "rx_only"])
        return try r.keyed(by: "med_list_codg") { r in
            let prefix = try r.required("trace_prefix")
            guard prefix.count == 7, prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw r.fail("trace_prefix", "expected 7 digits") }
            return Drug(code: r.text("med_list_codg"), name: try r.required("name"), atc: r.text("atc"), unit: r.text("unit"),
                        priceCap: try nonNegative(r, "price_cap"), sexLimit: try r.sex("sex_limit"),
                        minAgeYears: try r.optionalInt("min_age_years"), maxAgeYears: try r.optionalInt("max_age_years"),
                        maxDaysOutpatient: try r.optionalInt("max_days_outpatient"), packsPerDay: try positive(r, "packs_per_day"),
                        indications: r.list("indications"), minHospitalLevel: try r.optionalInt("min_hosp_level") ?? 1,
                        inpatientOnly: try r.flag("inpatient_only"), listClass: r.text("list_class"), tracePrefix: prefix,
                        rxOnly: try r.flag("rx_only"))
        }
    }

    static func services(_ table: CSVTable) throws -> [String: ServiceItem] {
        var r = try RowReader(table: table, required: ["med_list_codg", "name", "unit", "price_cap_lv1", "price_cap_lv2", "price_cap_lv3",
                                                       "sex_limit", "min_age_days", "max_age_days", "max_per_day", "per_stay_day",
                                                       "inpatient_only", "min_hosp_level", "exclusive_group", "package_of"])
        return try r.keyed(by: "med_list_codg") { r in
            let group = r.text("exclusive_group")
            return ServiceItem(code: r.text("med_list_codg"), name: try r.required("name"), unit: r.text("unit"),
                               priceCaps: try ["price_cap_lv1", "price_cap_lv2", "price_cap_lv3"].map { try nonNegative(r, $0) },
                               sexLimit: try r.sex("sex_limit"), minAgeDays: try r.optionalInt("min_age_days"),
                               maxAgeDays: try r.optionalInt("max_age_days"), maxPerDay: try r.optionalInt("max_per_day"),
                               perStayDay: try r.flag("per_stay_day"), inpatientOnly: try r.flag("inpatient_only"),
                               minHospitalLevel: try r.optionalInt("min_hosp_level") ?? 1,
                               exclusiveGroup: group.isEmpty ? nil : group, packageOf: r.list("package_of"))
        }
    }

    static func diagnoses(_ table: CSVTable) throws -> [String: DiagnosisEntry] {
        var r = try RowReader(table: table, required: ["dise_codg", "dise_name", "sex_limit", "min_age_days", "max_age_days"])
        return try r.keyed(by: "dise_codg") { r in
            DiagnosisEntry(code: r.text("dise_codg"), name: r.text("dise_name"), sexLimit: try r.sex("sex_limit"),
                           minAgeDays: try r.optionalInt("min_age_days"), maxAgeDays: try r.optionalInt("max_age_days"))
        }
    }

    static func institutions(_ table: CSVTable) throws -> [String: Institution] {
        var r = try RowReader(table: table, required: ["fixmedins_code", "name", "type", "hosp_level", "admdvs", "beds", "daily_outpatient_capacity"])
        return try r.keyed(by: "fixmedins_code") { r in
            guard let type = InstitutionType(rawValue: r.text("type")) else { throw r.fail("type", "expected hospital or pharmacy") }
            let level = try r.int("hosp_level")
            guard (0...3).contains(level) else { throw r.fail("hosp_level", "expected 0-3") }
            return Institution(code: r.text("fixmedins_code"), name: r.text("name"), type: type, level: level,
                               admdvs: try r.required("admdvs"), beds: try r.optionalInt("beds") ?? 0,
                               dailyOutpatientCapacity: try r.optionalInt("daily_outpatient_capacity") ?? 0)
        }
    }

    static func practitioners(_ table: CSVTable) throws -> [String: Practitioner] {
        var r = try RowReader(table: table, required: ["prac_codg", "name", "kind", "title", "fixmedins_code", "daily_outpatient_capacity"])
        return try r.keyed(by: "prac_codg") { r in
            guard let kind = PractitionerKind(rawValue: r.text("kind")) else { throw r.fail("kind", "expected doctor, nurse or pharmacist") }
            return Practitioner(code: r.text("prac_codg"), name: r.text("name"), kind: kind, title: r.text("title"),
                                institutionCode: try r.required("fixmedins_code"),
                                dailyOutpatientCapacity: try r.optionalInt("daily_outpatient_capacity"))
        }
    }

    static func persons(_ table: CSVTable) throws -> [String: Person] {
        var r = try RowReader(table: table, required: ["psn_no", "name", "gend", "brdy", "insu_admdvs", "insutype", "death_date"])
        return try r.keyed(by: "psn_no") { r in
            guard let sex = try r.sex("gend") else { throw r.fail("gend", "required value is empty") }
            guard let birth = try r.optionalDate("brdy") else { throw r.fail("brdy", "required value is empty") }
            return Person(id: r.text("psn_no"), name: r.text("name"), sex: sex, birthDate: birth,
                          insuredRegion: r.text("insu_admdvs"), insuranceType: r.text("insutype"),
                          deathDate: try r.optionalDate("death_date"))
        }
    }

    static func regions(_ table: CSVTable) throws -> [String: Region] {
        var r = try RowReader(table: table, required: ["admdvs", "name"])
        return try r.keyed(by: "admdvs") { r in Region(admdvs: r.text("admdvs"), name: r.text("name")) }
    }

    private static func nonNegative(_ r: RowReader, _ name: String) throws -> Decimal {
        let value = try r.decimal(name)
        guard value >= 0 else { throw r.fail(name, "must not be negative") }
        return value
    }

    private static func positive(_ r: RowReader, _ name: String) throws -> Decimal? {
        guard let value = try r.optionalDecimal(name) else { return nil }
        guard value > 0 else { throw r.fail(name, "must be greater than 0") }
        return value
    }
}
