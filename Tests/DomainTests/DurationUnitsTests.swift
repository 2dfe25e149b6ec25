import Timing
import XCTest

/// A `Duration` in the units the metrics, SQL intervals and benchmarks take.
final class DurationUnitsTests: XCTestCase {
    func testADurationInEachUnitKeepsItsWholeSecondsAndItsFraction() {
        XCTAssertEqual(Duration.milliseconds(1_500).inSeconds, 1.5)
        XCTAssertEqual(Duration.seconds(2).inMicroseconds, 2_000_000)
        XCTAssertEqual((Duration.seconds(3) + .microseconds(250)).inMicroseconds, 3_000_250, accuracy: 1e-6)
        XCTAssertEqual((Duration.seconds(1) + .nanoseconds(7)).inNanoseconds, 1_000_000_007)
        XCTAssertEqual(Duration.milliseconds(-2_500).inSeconds, -2.5)
        XCTAssertEqual(Duration.seconds(Int64.max / 10).inNanoseconds, .max, "saturates instead of overflowing")
    }
}
