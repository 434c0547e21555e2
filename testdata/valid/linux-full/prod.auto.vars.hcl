app = "orders"
