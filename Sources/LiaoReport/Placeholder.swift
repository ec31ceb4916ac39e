import LiaoCore
