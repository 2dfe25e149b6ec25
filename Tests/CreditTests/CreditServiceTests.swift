import XCTest
@testable import credit

final class CreditServiceTests: XCTestCase {}
