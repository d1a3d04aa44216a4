// goods-ranker example mini-program: one feed page ranked on the device.
App({});
