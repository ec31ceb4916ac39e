public enum LiaoCoreVersion { public static let string = "0.1.0" }
