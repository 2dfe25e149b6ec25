import XCTest
@testable import notification

final class NotificationServiceTests: XCTestCase {}
