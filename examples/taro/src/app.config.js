export default defineAppConfig({
  pages: [
    'pages/feed/index'
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#fff',
    navigationBarTitleText: '附近好物',
    navigationBarTextStyle: 'black'
  },
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': {
      desc: '用于推荐你附近门店和自提点的商品（位置只在手机上使用，不会上传）'
    }
  }
})
