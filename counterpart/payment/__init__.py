"""The counterpart of the national payment platform (Nền tảng thanh toán trên Cổng DVCQG):
it takes the portal's signed payment requests, serves a payment page where the "citizen"
clicks «Thanh toán», sends the signed confirmation to the portal's callback and the citizen
back to its return page, and serves the day's statement. Control endpoints play faults."""
